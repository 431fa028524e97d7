package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.chat.MessageLimit;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limits per account in the AWS shape (issue 19): the Lambda's {@code $default} handler and
 * the server's REST charge one bucket per sender in DynamoDB, so a flood split between them is
 * refused (429 over REST, {@code error rate_limited} through the Lambda); tickets are limited on
 * the server that hands them out.
 */
class LimitsThroughLambdaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final AwsShape shape = new AwsShape(new MessageLimit.Rate(1, 3),
            "--chatapp.limits.messages-per-minute=1", "--chatapp.limits.message-burst=3",
            "--chatapp.limits.tickets-per-minute=2");

    private static RunningServer server() {
        return shape.server();
    }

    private static HttpResponse<String> send(Session caller, String conversationId, String clientMessageId) {
        return server().post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}",
                caller.accessToken());
    }

    private static void assertRateLimited(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(JSON.readTree(r.body()).get("code").asString()).isEqualTo("rate_limited");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void messagesThroughTheLambdaAndRestShareTheSendersLimit() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        HttpResponse<String> opened = server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        String conversation = JSON.readTree(opened.body()).get("conversationId").asString();
        // accepted, so that more than the one introduction may be sent (contact by consent)
        assertThat(server().post("/api/v1/conversations/" + conversation + "/accept", "{}", therapist.accessToken())
                .statusCode()).isEqualTo(200);

        assertThat(send(parent, conversation, "m-1").statusCode()).isEqualTo(201);
        assertThat(send(parent, conversation, "m-1").statusCode()).as("a replay is not charged").isIn(200, 201);
        try (WsClient socket = RealtimeClients.connect(server(), parent)) {
            for (String id : new String[] {"m-2", "m-3"}) {
                socket.sendJson("type", "send", "clientMessageId", id, "conversationId", conversation,
                        "content", Map.of("contentType", "text", "value", "hi"));
                assertThat(socket.next("ack").path("clientMessageId").asString()).isEqualTo(id);
            }
            socket.sendJson("type", "send", "clientMessageId", "m-4", "conversationId", conversation,
                    "content", Map.of("contentType", "text", "value", "hi"));
            JsonNode error = socket.next("error");
            assertThat(error.path("code").asString()).isEqualTo("rate_limited");
            assertThat(error.path("clientMessageId").asString()).isEqualTo("m-4");
            assertThat(error.path("detail").asString()).contains("too many messages");
            assertThat(error.path("retryAfterMs").asLong()).as("the retry time, as REST's Retry-After (issue 19)")
                    .isPositive().isLessThanOrEqualTo(60_000);
        }
        assertRateLimited(send(parent, conversation, "m-5"));
    }

    @Test
    void ticketsForTheApiGatewayAreLimitedPerAccount() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        for (int i = 0; i < 2; i++) {
            assertThat(server().post("/api/v1/realtime/tickets", "", parent.accessToken()).statusCode()).isEqualTo(201);
        }
        assertRateLimited(server().post("/api/v1/realtime/tickets", "", parent.accessToken()));
    }
}
