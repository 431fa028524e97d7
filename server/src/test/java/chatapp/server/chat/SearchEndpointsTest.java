package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search over real HTTP on the one-machine shape (docs/api.md, "Search"): the shapes, who may
 * search what, hostile queries answered 400 with a detail (never 500), paging, the limit.
 */
class SearchEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private static String conversation(Session a, Session b) {
        HttpResponse<String> r = server.post("/api/v1/conversations", "{\"peerId\":\"" + b.userId() + "\"}",
                a.accessToken());
        assertThat(r.statusCode()).isIn(200, 201);
        String c = json(r).get("conversationId").asString();
        assertThat(server.post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken()).statusCode())
                .isEqualTo(200);
        return c;
    }

    private static String send(Session caller, String conversationId, String text) {
        HttpResponse<String> r = server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"c" + System.nanoTime() + "\",\"content\":{\"contentType\":\"text\",\"value\":"
                        + JSON.writeValueAsString(text) + "}}", caller.accessToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("messageId").asString();
    }

    private static HttpResponse<String> search(Session caller, String conversationId, String q, String more) {
        String path = conversationId == null ? "/api/v1/search" : "/api/v1/conversations/" + conversationId + "/search";
        return server.get(path + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more,
                caller == null ? null : caller.accessToken());
    }

    @Test
    void findsTheCallersMessagesNewestFirstWithTheirMatches() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        Session stranger = TestAccounts.register(server, UserType.PARENT);
        String c = conversation(parent, therapist);
        String older = send(parent, c, "Can we move Thursday's session?");
        send(therapist, c, "Sure, what time suits you?");
        String newer = send(therapist, c, "Thursday at 4 works — <b>Session</b> confirmed");

        HttpResponse<String> across = search(parent, null, "session", "");
        assertThat(across.statusCode()).as(across.body()).isEqualTo(200);
        JsonNode items = json(across).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("message").get("messageId").asString()).isEqualTo(newer);
        assertThat(items.get(0).get("peerId").asString()).isEqualTo(therapist.userId());
        assertThat(items.get(0).get("matches").get(0).get("start").asInt()).isEqualTo(25);
        assertThat(items.get(0).get("matches").get(0).get("end").asInt()).isEqualTo(32);
        assertThat(items.get(1).get("message").get("messageId").asString()).isEqualTo(older);
        assertThat(json(across).get("nextCursor").isNull()).isTrue();

        HttpResponse<String> first = search(therapist, c, "THURSDAY", "&limit=1");
        assertThat(json(first).get("items").get(0).get("message").get("messageId").asString()).isEqualTo(newer);
        String cursor = json(first).get("nextCursor").asString();
        HttpResponse<String> second = search(therapist, c, "thursday", "&limit=1&cursor=" + cursor);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(json(second).get("items").get(0).get("message").get("messageId").asString()).isEqualTo(older);

        assertThat(json(search(stranger, null, "session", "")).get("items")).isEmpty();
        HttpResponse<String> strangers = search(stranger, c, "session", "");
        assertThat(strangers.statusCode()).isEqualTo(404);
        assertThat(strangers.body()).doesNotContain("Thursday");
        assertThat(search(null, null, "session", "").statusCode()).isEqualTo(401);
        assertThat(search(null, c, "session", "").statusCode()).isEqualTo(401);
    }

    @Test
    void hostileQueriesAre400WithADetailNever500() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(parent, therapist);
        send(parent, c, "near the \"door\" * or not");
        List<String> answered = new ArrayList<>();
        for (String q : new String[] {"\"", "*", "NEAR(", "NEAR(door", "\"door", "door\"*", "a OR b", "-door",
                "'; drop table chats; --", "x".repeat(1000), "", " ", "🙂", "{}", "col:door", "\\"}) {
            for (String target : new String[] {null, c}) {
                HttpResponse<String> r = search(target == null ? parent : therapist, target, q, "");
                assertThat(r.statusCode()).as(q + ": " + r.body()).isIn(200, 400);
                if (r.statusCode() == 400) {
                    assertThat(json(r).get("code").asString()).isEqualTo("validation_failed");
                    assertThat(json(r).get("detail").asString()).isNotBlank();
                    assertThat(r.body()).contains("\"q\"");
                }
                answered.add(q.length() > 20 ? "long" : q);
            }
        }
        assertThat(json(search(parent, c, "NEAR(door", "")).get("items")).hasSize(1);
        assertThat(search(parent, c, "x".repeat(1000), "").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v1/search", parent.accessToken()).statusCode()).isEqualTo(400);
        assertThat(search(parent, c, "door", "&cursor=forged.cursor").statusCode()).isEqualTo(400);
        assertThat(answered).isNotEmpty();
    }

    @Test
    void searchesAreLimitedPerAccount() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        HttpResponse<String> refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            HttpResponse<String> r = search(parent, null, "anything", "");
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).as("a 429 within 60 searches").isNotNull();
        assertThat(json(refused).get("code").asString()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        // Another account is not affected.
        Session other = TestAccounts.register(server, UserType.PARENT);
        assertThat(search(other, null, "anything", "").statusCode()).isEqualTo(200);
    }
}
