package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.DynamoSettings;
import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AWS shape scales out: two servers in their own JVMs (two EC2 instances behind the load
 * balancer) on one DynamoDB (moto), with the same signing key, and one API Gateway (the harness
 * with the Lambda handlers). No server holds a socket or any state of its own that the other
 * needs: a token or ticket of one works with the other, and what is done over REST on either
 * reaches the sockets opened with tickets of the other.
 */
class ScaleOutTest {

    private static final String PREFIX = "scale-";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ApiGatewayLocal gateway;
    private static ServerProcess one;
    private static ServerProcess two;

    @BeforeAll
    static void start() throws Exception {
        MotoServer moto = MotoServer.get();
        AwsTestEnvironment.use(moto);
        DynamoSettings settings = moto.dynamoSettings(PREFIX);
        try (DynamoDbClient client = settings.client()) {
            new Tables(client, settings).create();
        }
        gateway = LocalApiGateway.start("127.0.0.1", 0, settings, List.of());
        Map<String, String> environment = Map.of(
                "AWS_REGION", MotoServer.REGION.id(), "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "CHATAPP_STORE", "dynamodb", "CHATAPP_DYNAMODB_ENDPOINT", moto.endpoint().toString(),
                "CHATAPP_TABLE_PREFIX", PREFIX, "CHATAPP_SIGNING_KEY", AwsTestEnvironment.SIGNING_KEY,
                "CHATAPP_REALTIME", "apigateway", "CHATAPP_APIGATEWAY_ENDPOINT", gateway.endpoint().toString(),
                "CHATAPP_WEBSOCKET_URL", gateway.websocketUrl().toString());
        one = ServerProcess.start("server-one", environment);
        two = ServerProcess.start("server-two", environment);
        one.awaitReady();
        two.awaitReady();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServerProcess server : new ServerProcess[] {one, two}) {
            if (server != null) {
                server.close();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A parent signed up on server one, a therapist on server two, and their conversation. */
    private record Pair(Account parent, Account therapist, String conversationId) {
    }

    private record Account(String userId, String accessToken) {
    }

    private static Pair pair() {
        Account parent = register(one, "parent", "\"childrenCount\":1");
        Account therapist = register(two, "therapist", "\"specialization\":\"Speech therapy\"");
        // The parent's token from server one, used on server two: the same signing key.
        JsonNode conversation = expect(201, post(two, "/api/v1/conversations",
                "{\"peerId\":\"" + therapist.userId() + "\"}", parent.accessToken()));
        String id = conversation.path("conversationId").asString();
        // Consent (docs/security.md): the therapist accepts, through the other server.
        expect(200, post(one, "/api/v1/conversations/" + id + "/accept", "{}", therapist.accessToken()));
        return new Pair(parent, therapist, id);
    }

    @Test
    void aMessageSentOverRestToEitherServerReachesTheSocketsOpenedWithTicketsOfTheOther() {
        Pair pair = pair();
        try (WsClient parentSocket = connect(one, pair.parent());
             WsClient therapistSocket = connect(two, pair.therapist())) {
            JsonNode toTherapist = expect(201, post(one, "/api/v1/conversations/" + pair.conversationId() + "/messages",
                    message("p-1", "Sent through server one"), pair.parent().accessToken()));
            assertThat(therapistSocket.await(message(toTherapist), WAIT).path("message").path("content").path("value")
                    .asString()).isEqualTo("Sent through server one");
            parentSocket.await(message(toTherapist), WAIT);

            JsonNode toParent = expect(201, post(two, "/api/v1/conversations/" + pair.conversationId() + "/messages",
                    message("t-1", "Answered through server two"), pair.therapist().accessToken()));
            assertThat(parentSocket.await(message(toParent), WAIT).path("message").path("senderId").asString())
                    .isEqualTo(pair.therapist().userId());
            therapistSocket.await(message(toParent), WAIT);

            // And the other way round: the parent's next message through server two, the
            // therapist's through server one, to the same sockets.
            JsonNode again = expect(201, post(two, "/api/v1/conversations/" + pair.conversationId() + "/messages",
                    message("p-2", "Now through server two"), pair.parent().accessToken()));
            therapistSocket.await(message(again), WAIT);
            JsonNode back = expect(201, post(one, "/api/v1/conversations/" + pair.conversationId() + "/messages",
                    message("t-2", "Now through server one"), pair.therapist().accessToken()));
            parentSocket.await(message(back), WAIT);
        }
    }

    @Test
    void aReadReceiptPostedOnOneServerIsSeenThroughTheOther() {
        Pair pair = pair();
        try (WsClient parentSocket = connect(two, pair.parent());
             WsClient therapistSocket = connect(one, pair.therapist())) {
            String path = "/api/v1/conversations/" + pair.conversationId();
            String first = expect(201, post(one, path + "/messages", message("p-1", "First"), pair.parent().accessToken()))
                    .path("messageId").asString();
            String second = expect(201, post(two, path + "/messages", message("p-2", "Second"), pair.parent().accessToken()))
                    .path("messageId").asString();
            therapistSocket.await(f -> isMessage(f, second), WAIT);
            assertThat(unreadCount(one, pair)).isEqualTo(2);
            assertThat(unreadCount(two, pair)).isEqualTo(2);

            JsonNode receipt = expect(200, post(one, path + "/read", "{\"upToMessageId\":\"" + second + "\"}",
                    pair.therapist().accessToken()));
            assertThat(receipt.path("upToMessageId").asString()).isEqualTo(second);

            // The read event reaches the sender's socket, opened with a ticket of server two...
            JsonNode read = parentSocket.await(f -> f.path("type").asString().equals("read"), WAIT);
            assertThat(read.path("conversationId").asString()).isEqualTo(pair.conversationId());
            assertThat(read.path("readerId").asString()).isEqualTo(pair.therapist().userId());
            assertThat(read.path("upToMessageId").asString()).isEqualTo(second);
            // ...and server two's inbox and history show what was read on server one.
            assertThat(unreadCount(two, pair)).isZero();
            JsonNode history = expect(200, get(two, path + "/messages", pair.parent().accessToken())).path("items");
            for (JsonNode m : history) {
                assertThat(m.path("readAt").asString()).as("readAt of " + m.path("messageId").asString())
                        .isEqualTo(receipt.path("readAt").asString());
            }
            assertThat(history).extracting(m -> m.path("messageId").asString()).containsExactlyInAnyOrder(first, second);
        }
    }

    @Test
    void aSessionEndedThroughOneServerIsRefusedByTheOtherWithinSecondsAndItsSocketsClose() {
        Account parent = register(one, "parent", "\"childrenCount\":1");
        expect(200, get(two, "/api/v1/users/me", parent.accessToken())); // server two now trusts the session for a while
        try (WsClient socket = connect(two, parent)) {
            long start = System.nanoTime();
            assertThat(post(one, "/api/v1/auth/logout-all", "", parent.accessToken()).statusCode()).isEqualTo(204);
            assertThat(get(one, "/api/v1/users/me", parent.accessToken()).statusCode()).as("at once on server one")
                    .isEqualTo(401);
            // Server one deletes the socket through the Management API, whoever issued its ticket.
            JsonNode error = socket.await(f -> f.path("type").asString().equals("error"), Duration.ofSeconds(2));
            assertThat(error.path("code").asString()).isEqualTo("session_ended");
            socket.closed(Duration.ofSeconds(2));
            // Server two trusted the session's last answer for at most Sessions.LIVENESS_TTL (5 s).
            while (get(two, "/api/v1/users/me", parent.accessToken()).statusCode() != 401) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("server two still accepts the token")
                        .isLessThan(Duration.ofSeconds(7));
                sleepQuietly(100);
            }
            assertThat(post(two, "/api/v1/realtime/tickets", "", parent.accessToken()).statusCode()).isEqualTo(401);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ a client's side, over real sockets

    private static Account register(ServerProcess server, String type, String extra) {
        String username = type + "-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode session = expect(201, post(server, "/api/v1/auth/register", "{\"username\":\"" + username
                + "\",\"email\":\"" + username + "@example.org\",\"password\":\"Tidy-Lantern-Orbit-42\",\"userType\":\""
                + type + "\"," + extra + "}", null));
        return new Account(session.path("user").path("userId").asString(), session.path("accessToken").asString());
    }

    /** A socket through the gateway with a ticket that {@code server} issued; its hello read. */
    private static WsClient connect(ServerProcess server, Account account) {
        JsonNode ticket = expect(201, post(server, "/api/v1/realtime/tickets", "", account.accessToken()));
        URI url = URI.create(ticket.path("url").asString());
        assertThat(url.getAuthority()).as("tickets name the gateway").isEqualTo(gateway.websocketUrl().getAuthority());
        WsClient socket = WsClient.connect(url, null);
        socket.next("hello");
        return socket;
    }

    private static long unreadCount(ServerProcess server, Pair pair) {
        JsonNode inbox = expect(200, get(server, "/api/v1/conversations", pair.therapist().accessToken())).path("items");
        for (JsonNode conversation : inbox) {
            if (conversation.path("conversationId").asString().equals(pair.conversationId())) {
                return conversation.path("unreadCount").asLong();
            }
        }
        throw new AssertionError("conversation " + pair.conversationId() + " not in the therapist's inbox: " + inbox);
    }

    private static String message(String clientMessageId, String text) {
        return "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"" + text + "\"}}";
    }

    private static Predicate<JsonNode> message(JsonNode stored) {
        return f -> isMessage(f, stored.path("messageId").asString());
    }

    private static boolean isMessage(JsonNode frame, String messageId) {
        return frame.path("type").asString().equals("message")
                && frame.path("message").path("messageId").asString().equals(messageId);
    }

    private static HttpResponse<String> post(ServerProcess server, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private static HttpResponse<String> get(ServerProcess server, String path, String token) {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
                + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
