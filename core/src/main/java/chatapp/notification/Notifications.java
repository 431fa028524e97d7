package chatapp.notification;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatEvent;
import chatapp.chat.Message;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.FanOut;
import chatapp.realtime.ServerFrame;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a stored message sets off besides the real-time fan-out (docs/notifications.md), the
 * same wherever the message is accepted (the server, the Lambda {@code $default} handler):
 * <ul>
 *   <li>a <b>Web Push</b> to the recipient's subscriptions when the recipient has no open
 *       connection, their push preference is on and they are not in quiet hours. The payload
 *       never holds the message's text: "New message from &lt;sender&gt;" (or "New message"
 *       when {@link Preferences#pushShowsSender()} is off) and the conversation's id; one
 *       Topic per conversation, so a push service keeps only the latest. A push service's 404
 *       or 410 removes the subscription;</li>
 *   <li>the therapist's <b>away message</b> to the parent who wrote outside the therapist's
 *       stated hours ({@link Preferences#awayAt}), as an {@code away} frame to the parent's
 *       connections, at most once per conversation per away period.</li>
 * </ul>
 * Both run on this class's own threads from a bounded queue, so they never slow or block a
 * send; a full queue drops the work with a warning (a missed notification, never a missed
 * message). Logs name users, never endpoints, keys or message text.
 */
public final class Notifications implements AutoCloseable {

    /** Work waiting beyond this is dropped (with a warning). */
    public static final int QUEUE = 10_000;
    /** The longest away period looked at: a week of no working days and a day more. */
    private static final Duration LONGEST_AWAY = Duration.ofDays(8);
    private static final System.Logger log = System.getLogger(Notifications.class.getName());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NotificationStore store;
    private final UserStore users;
    private final ConnectionStore connections;
    private final FanOut fanOut;
    private final WebPushDelivery push;
    private final Clock clock;
    private final BackgroundWork workers;

    /**
     * @param push how a push is sent; null when this deployment has no VAPID key (then only the
     *     away message runs)
     * @param threads how many pushes may wait on push services at once
     */
    public Notifications(NotificationStore store, UserStore users, ConnectionStore connections, FanOut fanOut,
            WebPushDelivery push, Clock clock, int threads) {
        this.store = Objects.requireNonNull(store);
        this.users = Objects.requireNonNull(users);
        this.connections = Objects.requireNonNull(connections);
        this.fanOut = Objects.requireNonNull(fanOut);
        this.push = push;
        this.clock = Objects.requireNonNull(clock);
        this.workers = new BackgroundWork("notifications", threads, QUEUE);
    }

    /** Whether pushes go out (a VAPID key is configured). */
    public boolean pushes() {
        return push != null;
    }

    /** The VAPID public key browsers subscribe with, base64url; empty if pushes are off. */
    public Optional<String> publicKey() {
        return push == null ? Optional.empty() : Optional.of(push.publicKey());
    }

    /** A chat event, after its write is durable: a stored message is queued; returns at once. */
    public void on(ChatEvent event) {
        if (!(event instanceof ChatEvent.MessageStored stored)) {
            return;
        }
        Message m = stored.message();
        boolean queued = workers.offer(() -> {
            try {
                notify(m);
            } catch (RuntimeException e) {
                log.log(System.Logger.Level.WARNING, "notifications for a message to user " + m.recipientId()
                        + " failed: " + e.getClass().getSimpleName());
            }
        });
        if (!queued) {
            log.log(System.Logger.Level.WARNING, "notification queue full; no push or away message for a message to user "
                    + m.recipientId());
        }
    }

    /**
     * Waits until the queued work is done, at most {@code timeout}: a Lambda handler calls this
     * before it returns (its process may be frozen after), tests to observe the outcome.
     *
     * @return false if work was still pending at the timeout
     */
    public boolean awaitIdle(Duration timeout) {
        return workers.awaitIdle(timeout);
    }

    /** The rules for one stored message (on a worker thread). */
    void notify(Message m) {
        Instant now = clock.instant();
        Preferences prefs = store.preferences(m.recipientId()).orElseGet(Preferences::defaults);
        if (prefs.awayAt(now)) {
            away(m, prefs, now);
        }
        if (push != null && prefs.push() && !prefs.quietAt(now)) {
            // The subscriptions before the connections: most recipients have none, and then one
            // read fewer per message (docs/decisions/0067-rest-send-request-work.md).
            List<PushSubscription> subscriptions = store.pushSubscriptions(m.recipientId());
            if (!subscriptions.isEmpty() && !online(m.recipientId(), now)) {
                push(m, prefs, subscriptions);
            }
        }
    }

    private void away(Message m, Preferences prefs, Instant now) {
        Optional<User> therapist = users.findById(m.recipientId());
        Optional<User> parent = users.findById(m.senderId());
        if (therapist.isEmpty() || therapist.get().userType() != UserType.THERAPIST
                || parent.isEmpty() || parent.get().userType() != UserType.PARENT) {
            return;
        }
        Instant until = awayEnds(prefs, now);
        if (store.firstAwayNotice(m.conversationId(), until, now)) {
            fanOut.deliver(m.senderId(), new ServerFrame.Away(m.conversationId(), m.recipientId(), prefs.awayMessage(),
                    until), null);
        }
    }

    /**
     * When the away period that holds {@code at} ends: the first minute at which
     * {@link Preferences#awayAt} is false (stated hours are whole minutes), at most
     * {@link #LONGEST_AWAY} ahead. It names the period, so one notice is shown per period.
     */
    static Instant awayEnds(Preferences prefs, Instant at) {
        Instant t = at.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant last = at.plus(LONGEST_AWAY);
        while (t.isBefore(last) && prefs.awayAt(t)) {
            t = t.plus(Duration.ofMinutes(1));
        }
        return t;
    }

    private boolean online(String userId, Instant now) {
        // Records of dead connections linger until they expire: those do not count.
        return connections.forUser(userId).stream().anyMatch(c -> c.expiresAt().isAfter(now));
    }

    private void push(Message m, Preferences prefs, List<PushSubscription> subscriptions) {
        String title = "New message";
        if (prefs.pushShowsSender()) {
            Optional<String> sender = users.nameToShow(m.senderId());
            if (sender.isPresent()) {
                title = "New message from " + sender.get();
            }
        }
        String payload = payload(title, m.conversationId());
        for (PushSubscription s : subscriptions) {
            WebPushDelivery.Outcome outcome = push.send(s, payload, m.conversationId());
            switch (outcome) {
                case SENT -> { }
                case GONE -> {
                    store.deletePushEndpoint(s.userId(), s.endpoint());
                    log.log(System.Logger.Level.INFO, "push subscription of user " + s.userId()
                            + " is gone (404/410); removed");
                }
                case FAILED -> log.log(System.Logger.Level.WARNING, "push to a subscription of user " + s.userId()
                        + " failed; kept");
                case REFUSED -> {
                    // The endpoint now points inside our network: never connect, drop it (the browser
                    // subscribes again on its next start, through the check at subscription).
                    store.deletePushEndpoint(s.userId(), s.endpoint());
                    log.log(System.Logger.Level.WARNING, "push subscription of user " + s.userId()
                            + " refused: its endpoint resolves to an internal address; removed");
                }
            }
        }
    }

    /** The push's JSON: no message text, ever (docs/notifications.md). */
    static String payload(String title, String conversationId) {
        return JSON.writeValueAsString(Map.of("title", title, "conversationId", conversationId));
    }

    /** Stops the workers; queued work is dropped. */
    @Override
    public void close() {
        workers.stopNow();
    }
}
