package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A session is one thing everywhere (issue 19, docs/security.md "Sessions"): when it ends, its
 * refresh chain, access tokens, tickets and WebSockets end with it, over real HTTP and real
 * sockets on the built-in gateway. Abstract: run on each store by
 * {@link SqliteSessionsEndEverywhereTest} and {@link DynamoSessionsEndEverywhereTest}.
 */
abstract class SessionsEndEverywhereTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** "within a second or two" of the issue; the revoking process closes at once. */
    private static final Duration SOON = Duration.ofSeconds(2);

    abstract RunningServer server();

    private HttpResponse<String> send(String method, String path, String json, String token) {
        return ResponseLog.send(server(), method, path, json, token);
    }

    private HttpResponse<String> me(TestAccounts.Session s) {
        return send("GET", "/api/v1/users/me", null, s.accessToken());
    }

    private WsClient socket(TestAccounts.Session s) {
        return RealtimeClients.connect(server(), s);
    }

    private static int handshakeStatus(URI ticketUrl) {
        try {
            WsClient.connect(ticketUrl, null).close();
            return 101;
        } catch (RuntimeException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    private static void assertOpen(WsClient ws) {
        ws.sendJson("type", "ping");
        assertThat(ws.next("pong")).isNotNull();
        assertThat(ws.isClosed()).isFalse();
    }

    @Test
    void afterLogoutTheSocketClosesWith4401AndTheTokenTicketsAndRefreshAreRefused() {
        TestAccounts.Session s = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session other = TestAccounts.login(server(), s);
        try (WsClient ws = socket(s); WsClient otherWs = socket(other)) {
            URI unspent = RealtimeClients.ticketUrl(server(), s);
            assertThat(me(s).statusCode()).isEqualTo(200);

            long before = System.nanoTime();
            assertThat(send("POST", "/api/v1/auth/logout", "{\"refreshToken\":\"" + s.refreshToken() + "\"}",
                    s.accessToken()).statusCode()).isEqualTo(204);
            assertThat(me(s).statusCode()).as("the old access token, at once on this instance").isEqualTo(401);
            assertThat(System.nanoTime() - before).isLessThan(Duration.ofSeconds(1).toNanos());

            WsClient.Closed closed = ws.closed(SOON);
            assertThat(closed.code()).isEqualTo(4401);
            assertThat(closed.reason()).isEqualTo("session ended");
            assertThat(send("POST", "/api/v1/realtime/tickets", "", s.accessToken()).statusCode())
                    .as("no ticket for an ended session").isEqualTo(401);
            assertThat(handshakeStatus(unspent)).as("a ticket issued before logout").isEqualTo(401);
            assertThat(send("POST", "/api/v1/auth/refresh", "{\"refreshToken\":\"" + s.refreshToken() + "\"}", null)
                    .statusCode()).isEqualTo(401);

            assertThat(me(other).statusCode()).as("the user's other session").isEqualTo(200);
            assertOpen(otherWs);
        }
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionAndKeepsTheCallers() {
        TestAccounts.Session here = TestAccounts.register(server(), UserType.THERAPIST);
        TestAccounts.Session phone = TestAccounts.login(server(), here);
        TestAccounts.Session laptop = TestAccounts.login(server(), here);
        try (WsClient hereWs = socket(here); WsClient phoneWs = socket(phone); WsClient laptopWs = socket(laptop)) {
            URI phoneTicket = RealtimeClients.ticketUrl(server(), phone);
            String change = "{\"password\":\"" + TestAccounts.PASSWORD + "-new\",\"currentPassword\":\""
                    + TestAccounts.PASSWORD + "\"}";
            assertThat(send("PATCH", "/api/v1/users/me", change, here.accessToken()).statusCode()).isEqualTo(200);

            assertThat(phoneWs.closed(SOON).code()).isEqualTo(4401);
            assertThat(laptopWs.closed(SOON).code()).isEqualTo(4401);
            assertThat(me(phone).statusCode()).isEqualTo(401);
            assertThat(me(laptop).statusCode()).isEqualTo(401);
            assertThat(handshakeStatus(phoneTicket)).isEqualTo(401);
            assertThat(me(here).statusCode()).as("the caller's own session stays").isEqualTo(200);
            assertOpen(hereWs);
        }
    }

    @Test
    void logoutAllEndsEverySessionTheCallersIncluded() {
        TestAccounts.Session here = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session phone = TestAccounts.login(server(), here);
        TestAccounts.Session stranger = TestAccounts.register(server(), UserType.PARENT);
        try (WsClient hereWs = socket(here); WsClient phoneWs = socket(phone); WsClient strangerWs = socket(stranger)) {
            assertThat(send("POST", "/api/v1/auth/logout-all", null, here.accessToken()).statusCode()).isEqualTo(204);

            assertThat(hereWs.closed(SOON).code()).isEqualTo(4401);
            assertThat(phoneWs.closed(SOON).code()).isEqualTo(4401);
            assertThat(me(here).statusCode()).isEqualTo(401);
            assertThat(me(phone).statusCode()).isEqualTo(401);
            assertThat(send("POST", "/api/v1/auth/refresh", "{\"refreshToken\":\"" + phone.refreshToken() + "\"}", null)
                    .statusCode()).isEqualTo(401);
            assertThat(send("POST", "/api/v1/auth/logout-all", null, null).statusCode()).as("needs a token")
                    .isEqualTo(401);
            assertThat(me(stranger).statusCode()).as("another user").isEqualTo(200);
            assertOpen(strangerWs);
        }
    }

    @Test
    void theSessionListShowsEachDeviceAndOneSessionCanBeEndedFromAnother() {
        TestAccounts.Session laptop = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> login = server().send(HttpRequest.newBuilder(server().uri("/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
                        + " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + laptop.email() + "\",\"password\":\""
                        + laptop.password() + "\"}")).build());
        assertThat(login.statusCode()).isEqualTo(200);
        TestAccounts.Session phone = TestAccounts.session(login.body(), laptop.password());
        TestAccounts.Session stranger = TestAccounts.register(server(), UserType.THERAPIST);

        HttpResponse<String> list = send("GET", "/api/v1/users/me/sessions", null, laptop.accessToken());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(list.body()).path("items");
        assertThat(items.size()).isEqualTo(2);
        JsonNode first = items.get(0);
        JsonNode second = items.get(1);
        assertThat(first.path("current").asBoolean()).as("oldest first: the laptop's, this one").isTrue();
        assertThat(second.path("current").asBoolean()).isFalse();
        assertThat(second.path("device").asString()).isEqualTo("Safari on iPhone");
        assertThat(second.path("ipAddress").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(second.path("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(second.path("lastUsedAt").asString()).isNotEmpty();
        assertThat(list.body()).doesNotContain(laptop.refreshToken()).doesNotContain(phone.refreshToken());
        String phoneSession = second.path("sessionId").asString();

        try (WsClient phoneWs = socket(phone); WsClient laptopWs = socket(laptop)) {
            assertThat(send("DELETE", "/api/v1/users/me/sessions/" + phoneSession, null, stranger.accessToken())
                    .statusCode()).as("not the stranger's").isEqualTo(404);
            assertOpen(phoneWs);
            assertThat(send("DELETE", "/api/v1/users/me/sessions/" + phoneSession, null, laptop.accessToken())
                    .statusCode()).isEqualTo(204);
            assertThat(phoneWs.closed(SOON).code()).isEqualTo(4401);
            assertThat(me(phone).statusCode()).isEqualTo(401);
            assertThat(send("DELETE", "/api/v1/users/me/sessions/" + phoneSession, null, laptop.accessToken())
                    .statusCode()).as("already ended").isEqualTo(404);
            assertThat(send("DELETE", "/api/v1/users/me/sessions/no-such-session", null, laptop.accessToken())
                    .statusCode()).isEqualTo(404);
            assertOpen(laptopWs);
            JsonNode after = JSON.readTree(send("GET", "/api/v1/users/me/sessions", null, laptop.accessToken()).body());
            assertThat(after.path("items").size()).isEqualTo(1);
            assertThat(after.path("items").get(0).path("current").asBoolean()).isTrue();
        }
    }

    @Test
    void pastTheSocketCapTheOldestSocketIsClosedWith4429() {
        TestAccounts.Session s = TestAccounts.register(server(), UserType.PARENT);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(socket(s));
            }
            open.forEach(ws -> assertThat(ws.isClosed()).isFalse());
            WsClient eleventh = socket(s);
            open.add(eleventh);
            WsClient.Closed closed = open.getFirst().closed(SOON);
            assertThat(closed.code()).isEqualTo(4429);
            assertThat(closed.reason()).isEqualTo("too many connections");
            for (WsClient ws : open.subList(1, open.size())) {
                assertOpen(ws);
            }
        } finally {
            open.forEach(WsClient::close);
        }
    }
}
