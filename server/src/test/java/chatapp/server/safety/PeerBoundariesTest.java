package chatapp.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a user may learn about others (issue 19): another parent's profile, and another
 * conversation's messages through a foreign {@code after} or cursor. Abstract: run on each store
 * by {@link SqlitePeerBoundariesTest} and {@link DynamoPeerBoundariesTest}.
 */
abstract class PeerBoundariesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return json(r);
    }

    private void assertProblem(HttpResponse<String> r, int status, String code, String detailPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json(r).get("code").asString()).isEqualTo(code);
        assertThat(json(r).get("detail").asString()).contains(detailPart);
    }

    private String conversation(Session a, Session b) {
        HttpResponse<String> r = server().post("/api/v1/conversations", "{\"peerId\":\"" + b.userId() + "\"}",
                a.accessToken());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = json(r).get("conversationId").asString();
        // Consent (docs/security.md): the peer accepts, so that both may talk.
        assertThat(server().post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken()).statusCode())
                .isEqualTo(200);
        return c;
    }

    private String send(Session caller, String conversationId, String text) {
        return ok(server().post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"c" + System.nanoTime() + "\",\"content\":{\"contentType\":\"text\",\"value\":\""
                        + text + "\"}}", caller.accessToken()), 201).get("messageId").asString();
    }

    private HttpResponse<String> messages(Session caller, String conversationId, String query) {
        return server().get("/api/v1/conversations/" + conversationId + "/messages" + query, caller.accessToken());
    }

    @Test
    void aParentAskingForAnotherParentGetsTheAnswerOfAnUnknownId() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session otherParent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);

        HttpResponse<String> hidden = server().get("/api/v1/users/" + otherParent.userId(), parent.accessToken());
        HttpResponse<String> unknown = server().get("/api/v1/users/no-such-user", parent.accessToken());
        assertProblem(hidden, 404, "not_found", "no such user");
        assertThat(json(hidden).get("detail")).isEqualTo(json(unknown).get("detail"));
        assertThat(hidden.body()).doesNotContain(otherParent.username()).doesNotContain("childrenCount");
        // nor by opening a conversation with them: the answer of an unknown id, word for word
        HttpResponse<String> opened = server().post("/api/v1/conversations",
                "{\"peerId\":\"" + otherParent.userId() + "\"}", parent.accessToken());
        HttpResponse<String> openedUnknown = server().post("/api/v1/conversations",
                "{\"peerId\":\"" + "AAAAAAAAAAAAAAAAAAAAAA" + "\"}", parent.accessToken());
        assertProblem(opened, 404, "not_found", "no such user");
        assertThat(json(opened).get("detail")).isEqualTo(json(openedUnknown).get("detail"));

        // still visible: oneself, a therapist to a parent, a parent to a therapist (conversing or not)
        assertThat(ok(server().get("/api/v1/users/" + parent.userId(), parent.accessToken()), 200)
                .get("childrenCount").asInt()).isEqualTo(2);
        assertThat(ok(server().get("/api/v1/users/" + therapist.userId(), parent.accessToken()), 200)
                .get("username").asString()).isEqualTo(therapist.username());
        assertThat(ok(server().get("/api/v1/users/" + otherParent.userId(), therapist.accessToken()), 200)
                .get("username").asString()).isEqualTo(otherParent.username());
        conversation(parent, therapist);
        assertThat(ok(server().get("/api/v1/users/" + parent.userId(), therapist.accessToken()), 200)
                .get("childrenCount").asInt()).isEqualTo(2);
        assertThat(ok(server().get("/api/v1/users/" + therapist.userId(), parent.accessToken()), 200)
                .get("specialization").asString()).isEqualTo("Speech therapy");
    }

    @Test
    void aCatchUpAfterAMessageOfAnotherConversationOrAnUnknownOneIs404NamingAfter() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        Session otherTherapist = TestAccounts.register(server(), UserType.THERAPIST);
        String a = conversation(parent, therapist);
        String b = conversation(parent, otherTherapist);
        String first = send(parent, a, "one");
        String second = send(therapist, a, "two");
        String foreign = send(parent, b, "elsewhere");

        // a valid after still works, on both sides
        JsonNode page = ok(messages(therapist, a, "?after=" + first), 200);
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("messageId").asString()).isEqualTo(second);
        assertThat(ok(messages(parent, a, "?after=" + second), 200).get("items")).isEmpty();

        // a message id of conversation B, seen by a participant of both: not a position in A
        assertProblem(messages(parent, a, "?after=" + foreign), 404, "not_found", "after");
        // a well-formed id that names no message at all, even one sorting before every message
        assertProblem(messages(parent, a, "?after=000000000001-AAAAAAAA"), 404, "not_found", "after");
        assertProblem(messages(parent, a, "?after=999999999999-zzzzzzzz"), 404, "not_found", "after");
        assertProblem(messages(therapist, a, "?after=" + first.substring(0, 13) + "AAAAAAAA"), 404, "not_found",
                "after");
        // malformed stays 400
        assertProblem(messages(parent, a, "?after=not-an-id"), 400, "validation_failed", "after");
    }

    @Test
    void aCursorOfAnotherConversationOrAnotherUserIsABadCursor() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        Session otherTherapist = TestAccounts.register(server(), UserType.THERAPIST);
        String a = conversation(parent, therapist);
        String b = conversation(parent, otherTherapist);
        for (int i = 0; i < 3; i++) {
            send(parent, a, "a" + i);
            send(parent, b, "b" + i);
        }
        String older = ok(messages(parent, b, "?limit=1"), 200).get("nextCursor").asString();
        String oldest = ok(messages(parent, b, "?limit=3"), 200).get("items").get(2).get("messageId").asString();
        String newer = ok(messages(parent, b, "?limit=1&after=" + oldest), 200).get("nextCursor").asString();
        assertThat(older).isNotNull();
        assertThat(newer).isNotNull();

        // each works where it was made
        assertThat(ok(messages(parent, b, "?limit=1&cursor=" + older), 200).get("items")).hasSize(1);
        assertThat(ok(messages(parent, b, "?limit=1&cursor=" + newer), 200).get("items")).hasSize(1);
        // not in another conversation of the same caller, nor for the other participant
        for (String cursor : new String[] {older, newer}) {
            assertProblem(messages(parent, a, "?limit=1&cursor=" + cursor), 400, "bad_cursor", "cursor");
            assertProblem(messages(otherTherapist, b, "?limit=1&cursor=" + cursor), 400, "bad_cursor", "cursor");
        }
    }
}
