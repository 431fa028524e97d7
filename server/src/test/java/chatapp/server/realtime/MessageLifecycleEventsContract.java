package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivered, edit, delete for everyone and reply between real users over real sockets (issue 21;
 * docs/protocol.md): the {@code delivered} frame and its REST twin reach the sender as
 * {@code delivered}; a {@code send} with {@code replyTo} carries its quote; edits and deletions
 * over REST reach both users' connections as {@code message_edited} and {@code message_deleted},
 * and the history shows them. The same for both real-time shapes: {@link MessageLifecycleEventsTest}
 * (the built-in gateway, SQLite) and {@code chatapp.apigatewaylocal.ApiGatewayMessageLifecycleTest}
 * (API Gateway and the Lambda handlers through the local harness, DynamoDB on moto).
 */
public abstract class MessageLifecycleEventsContract {

    /** The server of the shape under test. */
    protected abstract RunningServer server();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(400);

    private record Pair(Session parent, Session therapist, String conversationId) {
    }

    private Pair pair() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        HttpResponse<String> r = server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String c = JSON.readTree(r.body()).path("conversationId").asString();
        HttpResponse<String> accepted = server().post("/api/v1/conversations/" + c + "/accept", "{}",
                therapist.accessToken());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return new Pair(parent, therapist, c);
    }

    private static String send(String conversationId, String clientMessageId, String text, String replyTo) {
        ObjectNode frame = JSON.createObjectNode().put("type", "send").put("clientMessageId", clientMessageId)
                .put("conversationId", conversationId);
        frame.set("content", JSON.createObjectNode().put("contentType", "text").put("value", text));
        if (replyTo != null) {
            frame.put("replyTo", replyTo);
        }
        return JSON.writeValueAsString(frame);
    }

    private static JsonNode await(WsClient ws, String type) {
        return ws.await(f -> f.path("type").asString().equals(type), WAIT);
    }

    /** Frames other than presence (which the two connections may exchange at any time). */
    private static void quiet(WsClient... clients) {
        for (WsClient c : clients) {
            long until = System.nanoTime() + QUIET.toNanos();
            while (System.nanoTime() < until) {
                for (JsonNode f : c.drain()) {
                    assertThat(f.path("type").asString()).as("unexpected frame %s", f).isEqualTo("presence");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private HttpResponse<String> request(String method, String path, String json, Session as) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path))
                .header("Authorization", "Bearer " + as.accessToken())
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        return server().send(b.build());
    }

    private JsonNode history(Pair x, Session as) {
        HttpResponse<String> r = server().get("/api/v1/conversations/" + x.conversationId() + "/messages",
                as.accessToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("items");
    }

    @Test
    void deliveredFramesAndRestReachTheSenderThenReadFollows() {
        Pair x = pair();
        try (WsClient p = RealtimeClients.connect(server(), x.parent());
                WsClient t = RealtimeClients.connect(server(), x.therapist())) {
            p.send(send(x.conversationId(), "m1", "Thursday at 4?", null));
            JsonNode sent = await(p, "ack").path("message");
            assertThat(sent.path("deliveredAt").isNull()).as("not delivered yet: %s", sent).isTrue();
            String m1 = sent.path("messageId").asString();
            assertThat(await(t, "message").path("message").path("messageId").asString()).isEqualTo(m1);

            // The recipient's device acknowledges: the sender hears of it, the recipient's connection gets nothing.
            t.sendJson("type", "delivered", "conversationId", x.conversationId(), "upToMessageId", m1);
            JsonNode delivered = await(p, "delivered");
            assertThat(delivered.path("conversationId").asString()).isEqualTo(x.conversationId());
            assertThat(delivered.path("recipientId").asString()).isEqualTo(x.therapist().userId());
            assertThat(delivered.path("upToMessageId").asString()).isEqualTo(m1);
            String at = delivered.path("deliveredAt").asString();
            assertThat(history(x, x.parent()).get(0).path("deliveredAt").asString()).isEqualTo(at);
            quiet(t);
            // A repeat (another device) changes nothing and tells nobody.
            t.sendJson("type", "delivered", "conversationId", x.conversationId(), "upToMessageId", m1);
            quiet(p, t);

            // The REST twin.
            p.send(send(x.conversationId(), "m2", "or Friday?", null));
            String m2 = await(p, "ack").path("message").path("messageId").asString();
            await(t, "message");
            HttpResponse<String> r = server().post("/api/v1/conversations/" + x.conversationId() + "/delivered",
                    "{\"upToMessageId\":\"" + m2 + "\"}", x.therapist().accessToken());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("updated").asInt()).isEqualTo(1);
            assertThat(await(p, "delivered").path("upToMessageId").asString()).isEqualTo(m2);

            // Read follows, and the message keeps the time it was delivered.
            t.sendJson("type", "read", "conversationId", x.conversationId(), "upToMessageId", m2);
            assertThat(await(p, "read").path("upToMessageId").asString()).isEqualTo(m2);
            JsonNode first = history(x, x.parent()).get(1);
            assertThat(first.path("deliveredAt").asString()).isEqualTo(at);
            assertThat(first.path("readAt").isNull()).isFalse();

            // Only the recipient's messages: the sender's own delivered changes nothing; bad input is an error frame.
            p.sendJson("type", "delivered", "conversationId", x.conversationId(), "upToMessageId", "nope");
            assertThat(await(p, "error").path("code").asString()).isEqualTo("validation_failed");
            quiet(p, t);
        }
    }

    @Test
    void aReplyEditAndDeletionReachBothAtOnceAndShowInTheHistory() {
        Pair x = pair();
        try (WsClient p = RealtimeClients.connect(server(), x.parent());
                WsClient t = RealtimeClients.connect(server(), x.therapist())) {
            p.send(send(x.conversationId(), "ask", "See you Thursday at 4", null));
            String asked = await(p, "ack").path("message").path("messageId").asString();
            await(t, "message");

            // A reply over the socket carries its quote, to both.
            t.send(send(x.conversationId(), "reply", "Yes, see you then", asked));
            JsonNode reply = await(t, "ack").path("message");
            JsonNode quote = reply.path("quote");
            assertThat(quote.path("messageId").asString()).isEqualTo(asked);
            assertThat(quote.path("senderId").asString()).isEqualTo(x.parent().userId());
            assertThat(quote.path("excerpt").asString()).isEqualTo("See you Thursday at 4");
            assertThat(await(p, "message").path("message")).isEqualTo(reply);
            // A replyTo that names no message of this conversation: an error frame naming the send.
            t.send(send(x.conversationId(), "bad-reply", "?", "000000009999-abcdefgh"));
            JsonNode refused = await(t, "error");
            assertThat(refused.path("code").asString()).isEqualTo("not_found");
            assertThat(refused.path("clientMessageId").asString()).isEqualTo("bad-reply");
            assertThat(refused.path("detail").asString()).contains("replyTo");

            // An edit over REST reaches both users' connections at once.
            HttpResponse<String> edit = request("PATCH", "/api/v1/conversations/" + x.conversationId() + "/messages/"
                    + asked, "{\"content\":{\"contentType\":\"text\",\"value\":\"See you Thursday at 5\"}}", x.parent());
            assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
            JsonNode edited = JSON.readTree(edit.body());
            assertThat(edited.path("content").path("value").asString()).isEqualTo("See you Thursday at 5");
            assertThat(edited.path("editedAt").isNull()).isFalse();
            for (WsClient ws : new WsClient[] {p, t}) {
                JsonNode frame = await(ws, "message_edited").path("message");
                assertThat(frame.path("messageId").asString()).isEqualTo(asked);
                assertThat(frame.path("content").path("value").asString()).isEqualTo("See you Thursday at 5");
                assertThat(frame.path("editedAt").asString()).isEqualTo(edited.path("editedAt").asString());
            }
            // The peer may not edit it.
            HttpResponse<String> foreign = request("PATCH", "/api/v1/conversations/" + x.conversationId()
                    + "/messages/" + asked, "{\"content\":{\"contentType\":\"text\",\"value\":\"no\"}}", x.therapist());
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            JsonNode history = history(x, x.therapist());
            assertThat(history.get(0).path("quote").path("excerpt").asString()).isEqualTo("See you Thursday at 5");
            assertThat(history.get(1).path("editedAt").asString()).isEqualTo(edited.path("editedAt").asString());

            // Deleted for everyone: both see the tombstone at once; the reply's quote keeps no text.
            HttpResponse<String> delete = request("DELETE", "/api/v1/conversations/" + x.conversationId()
                    + "/messages/" + asked, null, x.parent());
            assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
            for (WsClient ws : new WsClient[] {p, t}) {
                JsonNode frame = await(ws, "message_deleted").path("message");
                assertThat(frame.path("messageId").asString()).isEqualTo(asked);
                assertThat(frame.path("content").path("contentType").asString()).isEqualTo("deleted");
                assertThat(frame.path("content").path("value").asString()).isEmpty();
                assertThat(frame.path("deletedAt").isNull()).isFalse();
            }
            history = history(x, x.therapist());
            assertThat(history.get(1).path("content").path("contentType").asString()).isEqualTo("deleted");
            assertThat(history.get(0).path("quote").path("contentType").asString()).isEqualTo("deleted");
            assertThat(history.get(0).path("quote").path("excerpt").asString()).isEmpty();
            assertThat(history.toString()).doesNotContain("Thursday at");
            // Again: the same tombstone, no second event.
            assertThat(request("DELETE", "/api/v1/conversations/" + x.conversationId() + "/messages/" + asked, null,
                    x.parent()).statusCode()).isEqualTo(200);
            quiet(p, t);
        }
    }
}
