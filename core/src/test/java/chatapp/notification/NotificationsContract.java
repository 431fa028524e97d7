package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.core.SettableClock;
import chatapp.realtime.CloseReason;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Connections;
import chatapp.realtime.FanOut;
import chatapp.realtime.Frames;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import com.interaso.webpush.VapidKeys;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * When a stored message sets off a Web Push or an away message (docs/notifications.md), on real
 * stores, with a real push service on loopback ({@link LocalPushService}: VAPID checked, payload
 * decrypted) and an injected clock for quiet and stated hours. Each store runs it with a
 * one-line subclass.
 */
public abstract class NotificationsContract {

    protected abstract ChatStore chatStore();

    protected abstract UserStore users();

    protected abstract ConnectionStore connectionStore();

    protected abstract NotificationStore notificationStore();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");
    /**
     * The next Monday, 12:00 in Oslo: after the real time, so that stores which purge expired
     * connection records by the real clock keep the ones this test's clock makes.
     */
    private static final ZonedDateTime MONDAY_NOON = ZonedDateTime.now(OSLO).plusDays(1)
            .with(TemporalAdjusters.next(DayOfWeek.MONDAY)).with(LocalTime.NOON);
    private static final String SECRET_TEXT = "Sam's appointment moved to 3pm";

    private SettableClock clock;
    private LocalPushService pushService;
    private Notifications notifications;
    private ChatService chat;
    private Connections connections;
    private Sockets sockets;
    private NotificationStore store;
    private User parent;
    private User therapist;
    private String conversationId;

    @BeforeEach
    void wire() {
        clock = new SettableClock(MONDAY_NOON.toInstant());
        pushService = new LocalPushService();
        VapidKeys keys = VapidKeys.generate();
        WebPushDelivery delivery = new WebPushDelivery("mailto:ops@example.org", keys, true);
        pushService.expectVapidKey(delivery.publicKey());
        store = notificationStore();
        connections = new Connections(connectionStore(), clock);
        sockets = new Sockets(connections);
        notifications = new Notifications(store, users(), connectionStore(), sockets, delivery, clock, 2);
        chat = new ChatService(chatStore(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, notifications::on);
        parent = user(UserType.PARENT);
        therapist = user(UserType.THERAPIST);
        conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.accept(therapist.userId(), conversationId);
    }

    @AfterEach
    void close() {
        notifications.close();
        pushService.close();
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    private LocalPushService.Subscription subscribe(User u, String sessionId) {
        LocalPushService.Subscription s = pushService.subscribe();
        store.savePushSubscription(PushSubscription.of(u.userId(), sessionId, s.endpoint(), s.p256dh(), s.auth(),
                clock.instant(), true, true));
        return s;
    }

    private void send(User from, String text) {
        chat.send(from.userId(), conversationId, Ids.random(), Content.text(text));
        assertThat(notifications.awaitIdle(Duration.ofSeconds(20))).as("notifications done").isTrue();
    }

    private void save(User u, Preferences p) {
        store.savePreferences(u.userId(), p);
    }

    private static Preferences prefs(boolean push, boolean showsSender, LocalTime quietFrom, LocalTime quietUntil) {
        return new Preferences(push, showsSender, true, Preferences.DEFAULT_EMAIL_DELAY, OSLO, quietFrom, quietUntil,
                null, null, null, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    }

    @Test
    void anOfflineRecipientGetsAPushNamingTheSenderWithoutTheMessageText() {
        LocalPushService.Subscription phone = subscribe(parent, "session-phone");
        LocalPushService.Subscription laptop = subscribe(parent, "session-laptop");
        send(therapist, SECRET_TEXT);

        for (LocalPushService.Subscription s : List.of(phone, laptop)) {
            List<LocalPushService.Push> got = pushService.receivedBy(s);
            assertThat(got).hasSize(1);
            LocalPushService.Push push = got.getFirst();
            assertThat(push.failure()).as("VAPID and encryption checks").isNull();
            assertThat(push.payload()).doesNotContain(SECRET_TEXT).doesNotContain("appointment");
            JsonNode json = push.json();
            assertThat(json.path("title").asString()).isEqualTo("New message from " + therapist.username());
            assertThat(json.path("conversationId").asString()).isEqualTo(conversationId);
            assertThat(push.headers().get("Topic")).hasSize(32).matches("[A-Za-z0-9_-]+");
            assertThat(push.headers().get("TTL")).isEqualTo(Long.toString(WebPushDelivery.TTL.toSeconds()));
            assertThat(push.headers().get("Urgency")).isEqualTo("normal");
            assertThat(push.claims().path("sub").asString()).isEqualTo("mailto:ops@example.org");
        }
        // The same conversation collapses at the push service: the same Topic every time.
        send(therapist, "again");
        assertThat(pushService.receivedBy(phone)).extracting(p -> p.headers().get("Topic")).containsOnly(
                pushService.receivedBy(phone).getFirst().headers().get("Topic"));
        // The sender is not pushed about their own message.
        assertThat(pushService.received()).hasSize(4);
    }

    @Test
    void withoutTheSendersNameThePushSaysOnlyNewMessage() {
        save(parent, prefs(true, false, null, null));
        LocalPushService.Subscription phone = subscribe(parent, "session-phone");
        send(therapist, SECRET_TEXT);
        assertThat(pushService.receivedBy(phone)).singleElement().satisfies(p -> {
            assertThat(p.json().path("title").asString()).isEqualTo("New message");
            assertThat(p.payload()).doesNotContain(therapist.username()).doesNotContain(SECRET_TEXT);
        });
    }

    @Test
    void noPushWhileTheRecipientHasAnOpenConnectionOrTurnedPushOff() {
        LocalPushService.Subscription phone = subscribe(parent, "session-phone");
        WebSocketConnection open = connections.open(parent.userId(), "test");
        send(therapist, "while online");
        assertThat(pushService.received()).isEmpty();

        connections.close(open);
        save(parent, prefs(false, true, null, null));
        send(therapist, "push off");
        assertThat(pushService.received()).isEmpty();

        save(parent, prefs(true, true, null, null));
        send(therapist, "offline, push on");
        assertThat(pushService.receivedBy(phone)).hasSize(1);
    }

    @Test
    void aConnectionRecordThatExpiredDoesNotCountAsOnline() {
        LocalPushService.Subscription phone = subscribe(parent, "session-phone");
        connections.open(parent.userId(), "test"); // its holder died: never closed
        clock.advance(Connections.RECORD_LIFETIME.plus(Duration.ofMinutes(1)));
        send(therapist, "after the record expired");
        assertThat(pushService.receivedBy(phone)).hasSize(1);
    }

    @Test
    void nothingIsPushedDuringQuietHoursInTheUsersTimeZone() {
        // 22:00-07:00 in Oslo; the clock starts Monday 12:00 Oslo.
        save(parent, prefs(true, true, LocalTime.of(22, 0), LocalTime.of(7, 0)));
        LocalPushService.Subscription phone = subscribe(parent, "session-phone");
        clock.advance(Duration.ofHours(11)); // 23:00 Oslo
        send(therapist, "late");
        clock.advance(Duration.ofHours(7).plusMinutes(59)); // 06:59 Oslo
        send(therapist, "early");
        assertThat(pushService.received()).isEmpty();
        clock.advance(Duration.ofMinutes(1)); // 07:00: quiet hours are over
        send(therapist, "morning");
        assertThat(pushService.receivedBy(phone)).hasSize(1);
    }

    @Test
    void aPushServiceAnswering404Or410RemovesTheSubscription() {
        LocalPushService.Subscription gone = subscribe(parent, "session-gone");
        LocalPushService.Subscription missing = subscribe(parent, "session-missing");
        LocalPushService.Subscription fine = subscribe(parent, "session-fine");
        LocalPushService.Subscription busy = subscribe(parent, "session-busy");
        pushService.answer(gone, 410);
        pushService.answer(missing, 404);
        pushService.answer(busy, 503);
        send(therapist, "hello");
        assertThat(store.pushSubscriptions(parent.userId())).extracting(PushSubscription::sessionId)
                .as("gone and missing removed, a busy push service keeps its subscription")
                .containsExactlyInAnyOrder("session-fine", "session-busy");
        send(therapist, "again");
        assertThat(pushService.receivedBy(fine)).hasSize(2);
        assertThat(pushService.receivedBy(gone)).hasSize(1);
        assertThat(pushService.receivedBy(missing)).hasSize(1);
    }

    @Test
    void anEndpointThatNowResolvesToAnInternalAddressIsNeverConnectedToAndIsRemoved() {
        // Stored while its host passed the check; now it resolves to 127.0.0.1 (DNS changed):
        // a delivery that does not allow internal hosts (every real deployment) refuses it.
        LocalPushService.Subscription rebound = subscribe(parent, "session-rebound");
        notifications.close();
        notifications = new Notifications(store, users(), connectionStore(), sockets,
                new WebPushDelivery("mailto:ops@example.org", VapidKeys.generate()), clock, 2);
        chat = new ChatService(chatStore(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, notifications::on);
        send(therapist, "hello");
        assertThat(pushService.received()).as("no request reached the internal address").isEmpty();
        assertThat(store.pushSubscriptions(parent.userId())).as("the subscription is dropped").isEmpty();
    }

    @Test
    void aParentWritingOutsideStatedHoursSeesTheAwayMessageOncePerPeriod() {
        save(therapist, new Preferences(true, true, true, Preferences.DEFAULT_EMAIL_DELAY, OSLO, null, null,
                "I answer on weekdays 9-17.", LocalTime.of(9, 0), LocalTime.of(17, 0),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)));
        connections.open(parent.userId(), "test");
        connections.open(therapist.userId(), "test");
        send(parent, "within hours"); // Monday 12:00
        assertThat(sockets.of(parent, "away")).isEmpty();

        clock.advance(Duration.ofHours(6)); // Monday 18:00 Oslo
        connections.open(parent.userId(), "test");
        connections.open(therapist.userId(), "test");
        send(parent, "after hours");
        send(parent, "after hours again");
        assertThat(sockets.of(parent, "away")).singleElement().satisfies(f -> {
            assertThat(f.path("conversationId").asString()).isEqualTo(conversationId);
            assertThat(f.path("userId").asString()).isEqualTo(therapist.userId());
            assertThat(f.path("message").asString()).isEqualTo("I answer on weekdays 9-17.");
            assertThat(Instant.parse(f.path("until").asString()))
                    .isEqualTo(MONDAY_NOON.plusDays(1).with(LocalTime.of(9, 0)).toInstant()); // Tuesday 09:00
        });

        // The therapist writing back is never told the parent is away; a new period shows it again.
        send(therapist, "reply");
        assertThat(sockets.of(therapist, "away")).isEmpty();
        clock.advance(Duration.ofHours(24)); // Tuesday 18:00 Oslo
        connections.open(parent.userId(), "test");
        connections.open(therapist.userId(), "test");
        send(parent, "next evening");
        assertThat(sockets.of(parent, "away")).hasSize(2);
    }

    /** The connections' frames, as a transport would write them (FrameHandlerContract has the same). */
    private static final class Sockets implements FanOut {

        private final Connections connections;
        private final Frames frames = new Frames();
        private final Map<String, List<JsonNode>> byUser = new ConcurrentHashMap<>();

        Sockets(Connections connections) {
            this.connections = connections;
        }

        @Override
        public void deliver(String userId, ServerFrame frame, String exceptConnectionId) {
            // Each frame once per user that has a live connection to receive it.
            if (connections.of(userId).stream().anyMatch(c -> !c.connectionId().equals(exceptConnectionId))) {
                byUser.computeIfAbsent(userId, id -> new CopyOnWriteArrayList<>())
                        .add(JSON.readTree(frames.encode(frame)));
            }
        }

        @Override
        public void disconnect(String userId, String sessionId, CloseReason reason) {
        }

        @Override
        public void disconnect(WebSocketConnection c, CloseReason reason) {
            connections.close(c);
        }

        List<JsonNode> of(User u, String type) {
            return byUser.getOrDefault(u.userId(), List.of()).stream()
                    .filter(f -> type.equals(f.path("type").asString())).toList();
        }
    }
}
