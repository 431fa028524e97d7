package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AWS shape serves conversations and messages from DynamoDB (on moto): one walk through
 * every endpoint. The rules themselves are proven on both stores by the store contract.
 */
class DynamoChatEndpointsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    @Test
    void aConversationFromOpenToReadReceiptOnDynamoDb() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        Session stranger = TestAccounts.register(server, UserType.PARENT);

        String c = ok(server.post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken()), 201).get("conversationId").asString();
        ok(server.post("/api/v1/conversations", "{\"peerId\":\"" + parent.userId() + "\"}", therapist.accessToken()), 200);
        String body = "{\"clientMessageId\":\"d-1\",\"content\":{\"contentType\":\"text\",\"value\":\"hello\"}}";
        JsonNode m = ok(server.post("/api/v1/conversations/" + c + "/messages", body, parent.accessToken()), 201);
        assertThat(ok(server.post("/api/v1/conversations/" + c + "/messages", body, parent.accessToken()), 200))
                .isEqualTo(m);

        JsonNode inbox = ok(server.get("/api/v1/conversations", therapist.accessToken()), 200);
        assertThat(inbox.get("items").get(0).get("unreadCount").asInt()).isEqualTo(1);
        assertThat(inbox.get("items").get(0).get("lastMessage")).isEqualTo(m);
        assertThat(ok(server.get("/api/v1/conversations/" + c + "/messages", therapist.accessToken()), 200)
                .get("items").get(0)).isEqualTo(m);
        assertThat(ok(server.get("/api/v1/conversations/" + c + "/messages?after=" + m.get("messageId").asString(),
                therapist.accessToken()), 200).get("items")).isEmpty();
        JsonNode receipt = ok(server.post("/api/v1/conversations/" + c + "/read",
                "{\"upToMessageId\":\"" + m.get("messageId").asString() + "\"}", therapist.accessToken()), 200);
        assertThat(receipt.get("updated").asInt()).isEqualTo(1);
        assertThat(ok(server.get("/api/v1/conversations/" + c, therapist.accessToken()), 200).get("unreadCount").asInt())
                .isZero();
        assertThat(server.get("/api/v1/conversations/" + c + "/messages", stranger.accessToken()).statusCode())
                .isEqualTo(404);
    }
}
