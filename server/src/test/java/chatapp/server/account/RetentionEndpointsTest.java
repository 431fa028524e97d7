package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retention on one machine from its settings (docs/audit.md, "Retention"): with
 * {@code chatapp.retention.messages} set, the server's job deletes older messages and the inbox
 * row follows (here with a retention of 2 s, swept every 500 ms).
 */
class RetentionEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.retention.messages=PT2S",
            "--chatapp.retention.sweep=PT0.5S");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpResponse<String> send(String method, String path, String json, String token) {
        return ResponseLog.send(server, method, path, json, token);
    }

    @Test
    void theJobDeletesMessagesOlderThanTheRetention() throws InterruptedException {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = JSON.readTree(send("POST", "/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken()).body()).get("conversationId").asString();
        assertThat(send("POST", "/api/v1/conversations/" + c + "/messages", "{\"clientMessageId\":\""
                + UUID.randomUUID() + "\",\"content\":{\"contentType\":\"text\",\"value\":\"expires soon\"}}",
                parent.accessToken()).statusCode()).isEqualTo(201);
        assertThat(messages(therapist, c)).hasSize(1);
        JsonNode left = null;
        for (long until = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < until; ) {
            left = messages(therapist, c);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(left).as("deleted by the retention job").isEmpty();
        JsonNode view = JSON.readTree(send("GET", "/api/v1/conversations/requests", null, therapist.accessToken())
                .body()).get("items").get(0);
        assertThat(view.get("lastMessage").isNull()).isTrue();
        assertThat(view.get("unreadCount").asLong()).isZero();
    }

    private JsonNode messages(TestAccounts.Session who, String c) {
        return JSON.readTree(send("GET", "/api/v1/conversations/" + c + "/messages", null, who.accessToken()).body())
                .get("items");
    }
}
