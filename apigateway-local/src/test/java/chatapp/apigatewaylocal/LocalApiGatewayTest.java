package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.ApiGatewayFanOut;
import chatapp.aws.DynamoChatStore;
import chatapp.aws.DynamoConnectionStore;
import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoTicketStore;
import chatapp.core.Ids;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Tickets;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The Lambda handlers behind the API Gateway harness, on DynamoDB-on-moto: the handshake rules,
 * hello, presence and the record of each connection, as a WebSocket client meets them.
 */
class LocalApiGatewayTest {

    private static final String ORIGIN = "https://chat.example.org";

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private static ApiGatewayLocal harness;
    private static Tickets tickets;
    private static ConnectionStore connections;

    @BeforeAll
    static void start() {
        AwsTestEnvironment.use(dynamo.moto());
        harness = LocalApiGateway.start("127.0.0.1", 0, dynamo.settings(), List.of(ORIGIN));
        tickets = new Tickets(new DynamoTicketStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
        connections = new DynamoConnectionStore(dynamo.client(), dynamo.settings());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void helloIsTheFirstFrameAndTheConnectionIsRecordedUntilItCloses() {
        String user = Ids.random();
        try (WsClient ws = WsClient.connect(url(tickets.issue(user).ticket()), ORIGIN)) {
            JsonNode hello = ws.next("hello");
            assertThat(hello.path("userId").asString()).isEqualTo(user);
            String connectionId = hello.path("connectionId").asString();
            assertThat(hello.path("serverTime").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(connections.forUser(user)).singleElement().satisfies(c -> {
                assertThat(c.connectionId()).isEqualTo(connectionId);
                assertThat(c.heldBy()).isEqualTo(ApiGatewayFanOut.heldBy(harness.endpoint()));
            });
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next("pong")).isNotNull();
        }
        awaitNoConnection(user);
    }

    @Test
    void aTicketWorksOnceAndAMissingOrUnknownOneIs401() {
        String ticket = tickets.issue(Ids.random()).ticket();
        try (WsClient ws = WsClient.connect(url(ticket), ORIGIN)) {
            ws.next("hello");
        }
        assertThat(handshakeStatus(url(ticket), ORIGIN)).isEqualTo(401);
        assertThat(handshakeStatus(harness.websocketUrl(), ORIGIN)).isEqualTo(401);
        assertThat(handshakeStatus(url("made-up"), ORIGIN)).isEqualTo(401);
    }

    @Test
    void aForeignOriginIs403AndDoesNotSpendTheTicket() {
        String ticket = tickets.issue(Ids.random()).ticket();
        assertThat(handshakeStatus(url(ticket), "https://evil.example.com")).isEqualTo(403);
        try (WsClient ws = WsClient.connect(url(ticket), ORIGIN)) {
            ws.next("hello");
        }
    }

    @Test
    void aBadFrameGetsBadFrameAndTheConnectionStaysOpen() {
        try (WsClient ws = WsClient.connect(url(tickets.issue(Ids.random()).ticket()), ORIGIN)) {
            ws.next("hello");
            ws.send("not json");
            assertThat(ws.next("error").path("code").asString()).isEqualTo("bad_frame");
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next("pong")).isNotNull();
        }
    }

    @Test
    void peersSeePresenceWhenTheFirstConnectionOpensAndTheLastCloses() {
        String parent = Ids.random();
        String therapist = Ids.random();
        new DynamoChatStore(dynamo.client(), dynamo.settings())
                .createConversation("c-" + Ids.random(), parent, therapist, Instant.now());
        try (WsClient watcher = WsClient.connect(url(tickets.issue(parent).ticket()), ORIGIN)) {
            watcher.next("hello");
            WsClient first = WsClient.connect(url(tickets.issue(therapist).ticket()), ORIGIN);
            first.next("hello");
            JsonNode online = watcher.next("presence");
            assertThat(online.path("userId").asString()).isEqualTo(therapist);
            assertThat(online.path("online").asBoolean()).isTrue();

            WsClient second = WsClient.connect(url(tickets.issue(therapist).ticket()), ORIGIN);
            second.next("hello");
            first.close();
            // An "online" may come twice (the watcher's own hello races with the peer's), never "offline".
            pause(Duration.ofMillis(500));
            assertThat(watcher.drain()).noneMatch(f -> !f.path("online").asBoolean(true));
            second.close();
            JsonNode offline = watcher.await(f -> !f.path("online").asBoolean(true), Duration.ofSeconds(10));
            assertThat(offline.path("userId").asString()).isEqualTo(therapist);
            assertThat(offline.path("online").asBoolean()).isFalse();
            assertThat(offline.path("lastSeenAt").asString()).isNotBlank();
        }
    }

    @Test
    void aConnectionWhoseRecordIsGoneIsClosedOnItsNextFrame() {
        String user = Ids.random();
        try (WsClient ws = WsClient.connect(url(tickets.issue(user).ticket()), ORIGIN)) {
            String connectionId = ws.next("hello").path("connectionId").asString();
            connections.remove(user, connectionId);
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.closed(Duration.ofSeconds(10))).isNotNull();
        }
    }

    @Test
    void aSendIsAckedOnItsConnectionAndReachesTheRecipientAndTheSendersOtherDevicesOnce() {
        String parent = Ids.random();
        String therapist = Ids.random();
        String conversation = "c-" + Ids.random();
        new DynamoChatStore(dynamo.client(), dynamo.settings()).createConversation(conversation, parent, therapist, Instant.now());
        try (WsClient phone = WsClient.connect(url(tickets.issue(parent).ticket()), ORIGIN);
             WsClient laptop = WsClient.connect(url(tickets.issue(parent).ticket()), ORIGIN);
             WsClient recipient = WsClient.connect(url(tickets.issue(therapist).ticket()), ORIGIN)) {
            phone.next("hello");
            laptop.next("hello");
            recipient.next("hello");
            Map<String, Object> content = Map.of("contentType", "text", "value", "Is Tuesday at 4 fine?");
            phone.sendJson("type", "send", "clientMessageId", "m-1", "conversationId", conversation, "content", content);
            JsonNode ack = phone.await(f -> f.path("type").asString().equals("ack"), Duration.ofSeconds(10));
            assertThat(ack.path("clientMessageId").asString()).isEqualTo("m-1");
            String messageId = ack.path("message").path("messageId").asString();
            assertThat(ack.path("message").path("content").path("value").asString()).isEqualTo("Is Tuesday at 4 fine?");
            for (WsClient other : List.of(laptop, recipient)) {
                JsonNode message = other.await(f -> f.path("type").asString().equals("message"), Duration.ofSeconds(10));
                assertThat(message.path("message").path("messageId").asString()).isEqualTo(messageId);
            }

            phone.sendJson("type", "send", "clientMessageId", "m-1", "conversationId", conversation, "content", content);
            JsonNode again = phone.await(f -> f.path("type").asString().equals("ack"), Duration.ofSeconds(10));
            assertThat(again.path("message").path("messageId").asString()).as("the original, not a copy").isEqualTo(messageId);
            assertThat(phone.drain()).noneMatch(f -> f.path("type").asString().equals("message"));
            recipient.expectNothing(Duration.ofMillis(500));

            recipient.sendJson("type", "read", "conversationId", conversation, "upToMessageId", messageId);
            for (WsClient sender : List.of(phone, laptop)) {
                JsonNode read = sender.await(f -> f.path("type").asString().equals("read"), Duration.ofSeconds(10));
                assertThat(read.path("readerId").asString()).isEqualTo(therapist);
                assertThat(read.path("upToMessageId").asString()).isEqualTo(messageId);
            }
        }
    }

    @Test
    void aSendToAConversationOfOthersIsRefusedWithItsClientMessageId() {
        try (WsClient ws = WsClient.connect(url(tickets.issue(Ids.random()).ticket()), ORIGIN)) {
            ws.next("hello");
            ws.sendJson("type", "send", "clientMessageId", "m-9", "conversationId", "c-" + Ids.random(),
                    "content", Map.of("contentType", "text", "value", "hello"));
            JsonNode error = ws.next("error");
            assertThat(error.path("code").asString()).isEqualTo("not_found");
            assertThat(error.path("clientMessageId").asString()).isEqualTo("m-9");
        }
    }

    private static URI url(String ticket) {
        return URI.create(harness.websocketUrl() + "?ticket=" + ticket);
    }

    private static int handshakeStatus(URI uri, String origin) {
        try {
            WsClient.connect(uri, origin).close();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the handshake to " + uri + " succeeded");
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitNoConnection(String user) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!connections.forUser(user).isEmpty()) {
            assertThat(System.nanoTime()).as("the record of a closed connection is removed").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
