package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link SendRoute} answers a plain send as the controller does, over real HTTP: the same status,
 * headers (security headers included) and JSON; and every send it does not take (an Accept
 * header it does not read, a body that does not parse, a refusal from core) gets the
 * controller's own answer, made once.
 */
class SendRouteTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Sent with this Accept header, a send goes past SendRoute to the controller. */
    private static final String TO_CONTROLLER = "application/json, */*;q=0.5";
    /** Headers that differ between any two answers (or only in framing). */
    private static final List<String> VARYING = List.of("date", "x-request-id", "content-length", "transfer-encoding");

    private static Session parent;
    private static Session therapist;
    private static String messages;

    @BeforeAll
    static void conversation() {
        parent = TestAccounts.register(server, UserType.PARENT);
        therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> opened = server.post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        String c = JSON.readTree(opened.body()).get("conversationId").asString();
        assertThat(server.post("/api/v1/conversations/" + c + "/accept", "{}", therapist.accessToken()).statusCode())
                .isEqualTo(200);
        messages = "/api/v1/conversations/" + c + "/messages";
    }

    private static HttpResponse<String> post(String path, String body, Session caller, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + caller.accessToken()).POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return server.send(b.build());
    }

    private static String text(String clientMessageId) {
        return "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"hello\"}}";
    }

    private static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(r.headers().map());
        VARYING.forEach(h::remove);
        return h;
    }

    /** The answer's JSON with what differs between two sends (ids, times) blanked. */
    private static JsonNode shape(HttpResponse<String> r) {
        ObjectNode m = (ObjectNode) JSON.readTree(r.body());
        for (String varying : List.of("messageId", "createdAt", "clientMessageId", "instance")) {
            if (m.has(varying)) {
                m.put(varying, "*");
            }
        }
        return m;
    }

    private static void assertSame(HttpResponse<String> routed, HttpResponse<String> controller) {
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(controller.statusCode());
        assertThat(headers(routed)).isEqualTo(headers(controller));
        assertThat(shape(routed)).isEqualTo(shape(controller));
    }

    @Test
    void aPlainSendIsAnsweredAsTheControllerAnswersWithALength() {
        HttpResponse<String> routed = post(messages, text("route-1"), parent, null);
        HttpResponse<String> controller = post(messages, text("controller-1"), parent, TO_CONTROLLER);
        assertThat(routed.statusCode()).isEqualTo(201);
        assertSame(routed, controller);
        assertThat(routed.headers().firstValue("Content-Length")).contains(Integer.toString(routed.body().length()));
        assertThat(headers(routed)).containsKeys("x-content-type-options", "cache-control", "x-frame-options");
        // a repeat: 200 with the same message, by both ways
        HttpResponse<String> repeat = post(messages, text("route-1"), parent, "application/json");
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(repeat.body())).isEqualTo(JSON.readTree(routed.body()));
        assertSame(repeat, post(messages, text("controller-1"), parent, TO_CONTROLLER));
        JsonNode history = JSON.readTree(server.get(messages, parent.accessToken()).body()).get("items");
        assertThat(history.findValuesAsString("clientMessageId")).containsExactly("controller-1", "route-1");
    }

    @Test
    void aSendCoreRefusesIsTheControllersProblemDocumentAndIsNotMadeTwice() {
        Session stranger = TestAccounts.register(server, UserType.PARENT);
        assertSame(post(messages, text("stranger-1"), stranger, null), post(messages, text("stranger-2"), stranger,
                TO_CONTROLLER));
        HttpResponse<String> invalid = post(messages, "{\"clientMessageId\":\"bad id!\",\"content\":"
                + "{\"contentType\":\"text\",\"value\":\"x\"}}", parent, null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertSame(invalid, post(messages, "{\"clientMessageId\":\"bad id!\",\"content\":"
                + "{\"contentType\":\"text\",\"value\":\"x\"}}", parent, TO_CONTROLLER));
        assertThat(JSON.readTree(invalid.body()).get("instance").asString()).isEqualTo(messages);
        HttpResponse<String> unknown = post("/api/v1/conversations/nope/messages", text("n-1"), parent, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertSame(unknown, post("/api/v1/conversations/nope/messages", text("n-1"), parent, TO_CONTROLLER));
    }

    @Test
    void aBodyThatDoesNotReadAsASendIsTheControllersAnswer() {
        for (String body : List.of("{\"clientMessageId\":5}", "not json", "", "null", "{\"clientMessageId\":\"a\","
                + "\"clientMessageId\":\"b\"}", "{\"content\":{\"contentType\":\"text\",\"value\":\"x\"},\"x\":1}")) {
            HttpResponse<String> routed = post(messages, body, parent, null);
            assertThat(routed.statusCode()).as(body).isBetween(400, 499);
            assertSame(routed, post(messages, body, parent, TO_CONTROLLER));
        }
    }

    @Test
    void onlyThePlainRequestIsTaken() {
        assertThat(SendRoute.json("application/json")).isTrue();
        assertThat(SendRoute.json("Application/JSON; charset=utf-8")).isTrue();
        assertThat(SendRoute.json("application/json;charset=ISO-8859-1")).isFalse();
        assertThat(SendRoute.json("application/jsonx")).isFalse();
        assertThat(SendRoute.json(null)).isFalse();
        assertThat(SendRoute.acceptsJson(java.util.Collections.enumeration(List.of("*/*")))).isTrue();
        assertThat(SendRoute.acceptsJson(java.util.Collections.enumeration(List.of()))).isTrue();
        assertThat(SendRoute.acceptsJson(java.util.Collections.enumeration(List.of(TO_CONTROLLER)))).isFalse();
        assertThat(SendRoute.acceptsJson(java.util.Collections.enumeration(List.of("*/*", "text/html")))).isFalse();
    }
}
