package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The user's own data over real HTTP and sockets (issue 22; docs/api.md, "Your data"): deleting
 * the account and downloading everything. Abstract: run on each store by
 * {@link SqliteUserDataEndpointsTest} and {@link DynamoUserDataEndpointsTest}.
 */
abstract class UserDataEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private HttpResponse<String> send(String method, String path, String json, String token) {
        return ResponseLog.send(server(), method, path, json, token);
    }

    private JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    /** A parent and a therapist in an accepted conversation; its id. */
    private String conversation(TestAccounts.Session parent, TestAccounts.Session therapist) {
        HttpResponse<String> opened = send("POST", "/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        assertThat(opened.statusCode()).isEqualTo(201);
        String c = json(opened).get("conversationId").asString();
        assertThat(send("POST", "/api/v1/conversations/" + c + "/accept", "", therapist.accessToken()).statusCode())
                .isEqualTo(200);
        return c;
    }

    private void text(TestAccounts.Session from, String c, String text) {
        assertThat(send("POST", "/api/v1/conversations/" + c + "/messages",
                "{\"clientMessageId\":\"" + java.util.UUID.randomUUID() + "\",\"content\":{\"contentType\":\"text\","
                        + "\"value\":\"" + text + "\"}}", from.accessToken()).statusCode()).isEqualTo(201);
    }

    @Test
    void deletingTheAccountEndsItsSessionsHidesItAndLeavesThePeerAClosedConversation() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = conversation(parent, therapist);
        text(parent, c, "Sam slept badly");
        text(therapist, c, "Try the routine");
        try (WsClient ws = RealtimeClients.connect(server(), parent)) {
            HttpResponse<String> wrong = send("DELETE", "/api/v1/users/me", "{\"password\":\"wrong-Passw0rd-for-this-test\"}",
                    parent.accessToken());
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(json(wrong).get("code").asString()).isEqualTo("forbidden");
            assertThat(send("DELETE", "/api/v1/users/me", "{}", parent.accessToken()).statusCode()).isEqualTo(400);
            assertThat(send("GET", "/api/v1/users/" + parent.userId(), null, therapist.accessToken()).statusCode())
                    .isEqualTo(200);

            assertThat(send("DELETE", "/api/v1/users/me", "{\"password\":\"" + parent.password() + "\"}",
                    parent.accessToken()).statusCode()).isEqualTo(204);

            assertThat(ws.closed(Duration.ofSeconds(2)).code()).isEqualTo(4401);
        }
        assertThat(send("GET", "/api/v1/users/me", null, parent.accessToken()).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/auth/refresh", "{\"refreshToken\":\"" + parent.refreshToken() + "\"}", null)
                .statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/auth/login", "{\"email\":\"" + parent.email() + "\",\"password\":\""
                + parent.password() + "\"}", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/users/" + parent.userId(), null, therapist.accessToken()).statusCode())
                .isEqualTo(404);
        JsonNode view = json(send("GET", "/api/v1/conversations/" + c, null, therapist.accessToken()));
        assertThat(view.get("peerDeleted").asBoolean()).isTrue();
        assertThat(view.get("peer").get("username").asString()).isEqualTo("Deleted account");
        JsonNode messages = json(send("GET", "/api/v1/conversations/" + c + "/messages", null,
                therapist.accessToken())).get("items");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("content").get("value").asString()).isEqualTo("Try the routine");
        assertThat(messages.get(1).get("content").get("contentType").asString()).isEqualTo("deleted");
        assertThat(messages.get(1).get("content").get("value").asString()).isEmpty();
        HttpResponse<String> refused = send("POST", "/api/v1/conversations/" + c + "/messages",
                "{\"clientMessageId\":\"after\",\"content\":{\"contentType\":\"text\",\"value\":\"hello?\"}}",
                therapist.accessToken());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("deleted their account");
        // the peer can still clear the unread badge of the deleted account's messages (nobody is told)
        assertThat(view.get("unreadCount").asLong()).isEqualTo(1);
        assertThat(send("POST", "/api/v1/conversations/" + c + "/read",
                "{\"upToMessageId\":\"" + messages.get(0).get("messageId").asString() + "\"}",
                therapist.accessToken()).statusCode()).isEqualTo(200);
        assertThat(json(send("GET", "/api/v1/conversations/" + c, null, therapist.accessToken()))
                .get("unreadCount").asLong()).isZero();
        // the email and username are free again
        TestAccounts.register(server(), UserType.PARENT, parent.username());
    }

    @Test
    void anExportIsMadeInTheBackgroundAndDownloadedThroughASignedLink() throws Exception {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = conversation(parent, therapist);
        text(parent, c, "Hello from the parent");
        text(therapist, c, "Hello from the therapist");

        HttpResponse<String> started = send("POST", "/api/v1/users/me/export", "", parent.accessToken());
        assertThat(started.statusCode()).isEqualTo(202);
        String id = json(started).get("exportId").asString();
        assertThat(started.headers().firstValue("Location")).contains("/api/v1/users/me/export/" + id);
        assertThat(send("GET", "/api/v1/users/me/export/" + id, null, therapist.accessToken()).statusCode())
                .as("another user's export").isEqualTo(404);
        JsonNode status = null;
        for (long until = System.nanoTime() + Duration.ofSeconds(20).toNanos(); System.nanoTime() < until; ) {
            status = json(send("GET", "/api/v1/users/me/export/" + id, null, parent.accessToken()));
            if (!status.get("state").asString().matches("pending|running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.get("state").asString()).isEqualTo("ready");
        URI url = server().uri("/").resolve(status.get("url").asString());
        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "application/zip"));
        Set<String> names = new HashSet<>();
        String index = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("index.json")) {
                    index = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(names).contains("index.json", "index.html");
        assertThat(index).contains("Hello from the parent").contains("Hello from the therapist");
        // 3 a day: two more, then 429
        assertThat(send("POST", "/api/v1/users/me/export", "", parent.accessToken()).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/v1/users/me/export", "", parent.accessToken()).statusCode()).isEqualTo(202);
        HttpResponse<String> limited = send("POST", "/api/v1/users/me/export", "", parent.accessToken());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(send("GET", "/api/v1/users/me/export/not-an-export", null, parent.accessToken()).statusCode())
                .isEqualTo(404);
    }

    /** A request with a raw body of its own content type (null: no Content-Type header). */
    private HttpResponse<String> raw(String method, String path, String contentType, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return server().send(b.build());
    }

    @Test
    void anExportTakesNoBodyAndADeletionTakesJsonOnly() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        // POST /users/me/export takes no body: anything but none or {} is a client's mistake, refused
        // before the export is counted against the day's three
        for (String[] refused : new String[][] {{"application/json", "{\"x\":1}"}, {"application/json", "[]"},
                {"application/json", "null"}, {"text/plain", "please"}, {null, "x=1"}}) {
            HttpResponse<String> r = raw("POST", "/api/v1/users/me/export", refused[0], refused[1], parent.accessToken());
            assertThat(r.statusCode()).as(refused[1]).isEqualTo(400);
            assertThat(json(r).get("code").asString()).isEqualTo("bad_request");
            assertThat(json(r).get("detail").asString()).contains("takes no body");
        }
        assertThat(raw("POST", "/api/v1/users/me/export", "application/json", " { } ", parent.accessToken())
                .statusCode()).isEqualTo(202);
        assertThat(raw("POST", "/api/v1/users/me/export", null, "", parent.accessToken()).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/v1/users/me/export", "", parent.accessToken()).statusCode()).isEqualTo(202);

        // DELETE /users/me reads JSON like every endpoint with a body: another type, or none, is 415
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> r = raw("DELETE", "/api/v1/users/me", type, "password=" + parent.password(),
                    parent.accessToken());
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(json(r).get("code").asString()).isEqualTo("unsupported_media");
            assertThat(json(r).get("detail").asString()).contains("application/json");
        }
        HttpResponse<String> missing = raw("DELETE", "/api/v1/users/me", "application/json", "{}", parent.accessToken());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("detail").asString()).contains("password");
        assertThat(send("GET", "/api/v1/users/me", null, parent.accessToken()).statusCode()).as("still there")
                .isEqualTo(200);
    }
}
