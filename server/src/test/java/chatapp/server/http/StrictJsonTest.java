package chatapp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies over real HTTP are taken as written: a scalar of the wrong JSON type is 400
 * {@code validation_failed} naming the field (no coercion of {@code 5} to {@code "5"} or
 * {@code "3"} to {@code 3}); a missing refresh token is named too; message text made of
 * invisible or control characters is refused by core's rule.
 */
class StrictJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static void assertInvalidField(HttpResponse<String> r, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("code").asString()).as(r.body()).isEqualTo("validation_failed");
        assertThat(body.path("errors").get(0).path("field").asString()).as(r.body()).isEqualTo(field);
        assertThat(body.path("detail").asString()).contains(field);
    }

    private static String registration(String username, String extra) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.org\",\"password\":\""
                + TestAccounts.PASSWORD + "\",\"userType\":\"parent\"," + extra + "}";
    }

    @Test
    void numbersBooleansAndStringsAreNotCoercedIntoEachOther() {
        assertInvalidField(server.post("/api/v1/auth/register", registration("coerce-1", "\"childrenCount\":\"3\""), null),
                "childrenCount");
        assertInvalidField(server.post("/api/v1/auth/register", registration("coerce-2", "\"childrenCount\":2.7"), null),
                "childrenCount");
        assertInvalidField(server.post("/api/v1/auth/register", registration("coerce-3", "\"childrenCount\":true"), null),
                "childrenCount");
        assertInvalidField(server.post("/api/v1/auth/register",
                registration("coerce-4", "\"childrenCount\":99999999999999999999"), null), "childrenCount");
        assertInvalidField(server.post("/api/v1/auth/register",
                "{\"username\":5,\"email\":\"five@example.org\",\"password\":\"" + TestAccounts.PASSWORD
                        + "\",\"userType\":\"parent\",\"childrenCount\":1}", null), "username");
        assertInvalidField(server.post("/api/v1/auth/login", "{\"email\":true,\"password\":\"x\"}", null), "email");
        assertInvalidField(server.post("/api/v1/auth/refresh", "{\"refreshToken\":12345}", null), "refreshToken");
        assertThat(server.get("/api/v1/users?type=parent&q=coerce", TestAccounts.register(server, UserType.THERAPIST)
                .accessToken()).body()).as("nothing was registered").doesNotContain("coerce-");

        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> patch = server.send(HttpRequest.newBuilder(server.uri("/api/v1/users/me"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"childrenCount\":\"3\"}")).build());
        assertInvalidField(patch, "childrenCount");

        String conversationId = open(parent, therapist);
        String messages = "/api/v1/conversations/" + conversationId + "/messages";
        assertInvalidField(server.post(messages, "{\"clientMessageId\":\"c-1\",\"content\":{\"contentType\":\"text\","
                + "\"value\":5}}", parent.accessToken()), "content.value");
        assertInvalidField(server.post(messages, "{\"clientMessageId\":123,\"content\":{\"contentType\":\"text\","
                + "\"value\":\"hi\"}}", parent.accessToken()), "clientMessageId");
        assertInvalidField(server.post(messages, "{\"clientMessageId\":\"c-2\",\"content\":{\"contentType\":false,"
                + "\"value\":\"hi\"}}", parent.accessToken()), "content.contentType");
        assertInvalidField(server.post(messages, "{\"clientMessageId\":\"c-3\",\"content\":\"hi\"}",
                parent.accessToken()), "content");
        assertInvalidField(server.post("/api/v1/conversations", "{\"peerId\":[\"x\"]}", parent.accessToken()), "peerId");
        assertThat(server.get(messages, parent.accessToken()).body()).as("nothing was stored")
                .contains("\"items\":[]");
    }

    @Test
    void aBodyThatIsNotAnObjectOrNotJsonIsABadRequest() {
        for (String body : new String[] {"[]", "5", "\"text\"", "{\"email\":", "not json"}) {
            HttpResponse<String> r = server.post("/api/v1/auth/login", body, null);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("code").asString()).as(body).isEqualTo("bad_request");
        }
    }

    @Test
    void aRefreshWithoutItsTokenIsAValidationErrorNamingIt() {
        assertInvalidField(server.post("/api/v1/auth/refresh", "{}", null), "refreshToken");
        assertInvalidField(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"  \"}", null), "refreshToken");
        assertThat(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"not-one-of-ours\"}", null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void textOfInvisibleOrControlCharactersIsRefusedAndEmojiSequencesAreKept() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String messages = "/api/v1/conversations/" + open(parent, therapist) + "/messages";

        HttpResponse<String> invisible = server.post(messages,
                "{\"clientMessageId\":\"z-1\",\"content\":{\"contentType\":\"text\",\"value\":\"\\u200B\\u200D\\uFEFF\"}}",
                parent.accessToken());
        assertInvalidField(invisible, "content.value");
        assertThat(invisible.body()).contains("blank");

        HttpResponse<String> nul = server.post(messages,
                "{\"clientMessageId\":\"z-2\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\\u0000there\"}}",
                parent.accessToken());
        assertInvalidField(nul, "content.value");
        assertThat(JSON.readTree(nul.body()).path("detail").asString()).contains("U+0000");

        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        HttpResponse<String> emoji = server.post(messages,
                "{\"clientMessageId\":\"z-3\",\"content\":{\"contentType\":\"text\",\"value\":\"" + family + "\"}}",
                parent.accessToken());
        assertThat(emoji.statusCode()).as(emoji.body()).isEqualTo(201);
        assertThat(JSON.readTree(emoji.body()).path("content").path("value").asString()).isEqualTo(family);
    }

    private static String open(TestAccounts.Session a, TestAccounts.Session b) {
        HttpResponse<String> r = server.post("/api/v1/conversations", "{\"peerId\":\"" + b.userId() + "\"}",
                a.accessToken());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = JSON.readTree(r.body()).path("conversationId").asString();
        // Consent (docs/security.md): the peer accepts, so that both may talk.
        assertThat(server.post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken()).statusCode()).isEqualTo(200);
        return c;
    }
}
