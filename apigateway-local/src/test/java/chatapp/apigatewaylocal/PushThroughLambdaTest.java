package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.aws.DynamoChatStore;
import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoNotificationStore;
import chatapp.aws.DynamoTicketStore;
import chatapp.aws.DynamoUserStore;
import chatapp.chat.ChatStore;
import chatapp.core.Ids;
import chatapp.lambda.Wiring;
import chatapp.notification.LocalPushService;
import chatapp.notification.NotificationStore;
import chatapp.notification.Preferences;
import chatapp.notification.PushSubscription;
import chatapp.notification.VapidKeyPair;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.Tickets;
import chatapp.chat.MessageLimit;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import com.interaso.webpush.VapidKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The notification rule where the AWS shape accepts a message over a WebSocket: the Lambda
 * {@code $default} handler behind the API Gateway harness, on DynamoDB-on-moto, pushing to a
 * local push service (VAPID checked, payload decrypted) and sending the away frame
 * (docs/notifications.md).
 */
class PushThroughLambdaTest {

    private static final String ORIGIN = "https://chat.example.org";

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private static ApiGatewayLocal harness;
    private static LocalPushService pushService;
    private static Tickets tickets;

    @BeforeAll
    static void start() {
        AwsTestEnvironment.use(dynamo.moto());
        pushService = new LocalPushService();
        VapidKeys keys = VapidKeys.generate();
        harness = LocalApiGateway.start("127.0.0.1", 0, dynamo.settings(), List.of(ORIGIN),
                FrameHandler.TYPING_INTERVAL, MessageLimit.Rate.DEFAULT,
                new Wiring.PushSettings(VapidKeyPair.format(keys), null, "mailto:ops@example.org", true));
        tickets = new Tickets(new DynamoTicketStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        harness.close();
        pushService.close();
    }

    private static User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 10), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 1 : null, Instant.parse("2026-01-01T00:00:00Z"));
        new DynamoUserStore(dynamo.client(), dynamo.settings()).create(u);
        return u;
    }

    private static URI url(User u) {
        return URI.create(harness.websocketUrl() + "?ticket=" + tickets.issue(u.userId()).ticket());
    }

    @Test
    void aMessageSentThroughTheLambdaPushesToTheOfflineRecipientWithoutItsText() {
        User parent = user(UserType.PARENT);
        User therapist = user(UserType.THERAPIST);
        String conversation = "c-" + Ids.random();
        ChatStore chats = new DynamoChatStore(dynamo.client(), dynamo.settings());
        chats.createConversation(conversation, parent.userId(), therapist.userId(), Instant.now());
        NotificationStore store = new DynamoNotificationStore(dynamo.client(), dynamo.settings());
        LocalPushService.Subscription phone = pushService.subscribe();
        store.savePushSubscription(PushSubscription.of(parent.userId(), "session-1", phone.endpoint(), phone.p256dh(),
                phone.auth(), Instant.now(), true, true));

        try (WsClient ws = WsClient.connect(url(therapist), ORIGIN)) {
            ws.next("hello");
            ws.sendJson("type", "send", "clientMessageId", "m-1", "conversationId", conversation, "content",
                    Map.of("contentType", "text", "value", "Tuesday at 4 is fine"));
            ws.await(f -> f.path("type").asString().equals("ack"), Duration.ofSeconds(10));
        }
        // The handler waits for its pushes before it returns: the push is there by now or soon.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pushService.receivedBy(phone).isEmpty() && System.nanoTime() < until) {
            pause();
        }
        assertThat(pushService.receivedBy(phone)).singleElement().satisfies(p -> {
            assertThat(p.failure()).isNull();
            assertThat(p.payload()).doesNotContain("Tuesday");
            assertThat(p.json().path("title").asString()).isEqualTo("New message from " + therapist.username());
            assertThat(p.json().path("conversationId").asString()).isEqualTo(conversation);
        });
    }

    @Test
    void aParentWritingToAnAwayTherapistGetsTheAwayFrameOnceThroughTheLambda() {
        User parent = user(UserType.PARENT);
        User therapist = user(UserType.THERAPIST);
        String conversation = "c-" + Ids.random();
        new DynamoChatStore(dynamo.client(), dynamo.settings())
                .createConversation(conversation, parent.userId(), therapist.userId(), Instant.now());
        // No working days: away all the time.
        new DynamoNotificationStore(dynamo.client(), dynamo.settings()).savePreferences(therapist.userId(),
                new Preferences(true, true, true, Preferences.DEFAULT_EMAIL_DELAY, ZoneId.of("UTC"), null, null,
                        "Back on Monday.", null, null, Set.of()));
        try (WsClient ws = WsClient.connect(url(parent), ORIGIN)) {
            ws.next("hello");
            Map<String, Object> content = Map.of("contentType", "text", "value", "Hello?");
            ws.sendJson("type", "send", "clientMessageId", "m-1", "conversationId", conversation, "content", content);
            JsonNode away = ws.await(f -> f.path("type").asString().equals("away"), Duration.ofSeconds(10));
            assertThat(away.path("message").asString()).isEqualTo("Back on Monday.");
            assertThat(away.path("userId").asString()).isEqualTo(therapist.userId());
            ws.sendJson("type", "send", "clientMessageId", "m-2", "conversationId", conversation, "content", content);
            ws.await(f -> f.path("type").asString().equals("ack")
                    && f.path("clientMessageId").asString().equals("m-2"), Duration.ofSeconds(10));
            pause();
            assertThat(ws.drain()).noneMatch(f -> f.path("type").asString().equals("away"));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
