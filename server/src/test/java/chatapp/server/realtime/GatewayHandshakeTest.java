package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.core.Ids;
import chatapp.realtime.Connections;
import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import chatapp.realtime.Tickets;
import chatapp.realtime.WebSocketConnection;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may open a WebSocket, over real sockets: tickets (missing, used, expired), Origin,
 * the first frame, the connection record; and that no ticket reaches the log even with
 * Spring's web logging at TRACE.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayHandshakeTest {

    static final String ALLOWED = "https://app.example.org";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.allowed-origins=" + ALLOWED,
            "--logging.level.org.springframework.web=TRACE");

    private static String issue(String userId) {
        return server.context().getBean(Tickets.class).issue(userId).ticket();
    }

    private static URI ws(String query) {
        return URI.create(server.uri("/ws").toString().replaceFirst("^http", "ws") + query);
    }

    private static int handshakeStatus(URI uri, String origin) {
        Throwable failure = null;
        try (WsClient c = WsClient.connect(uri, origin)) {
            return 101;
        } catch (RuntimeException e) {
            failure = e.getCause() != null ? e.getCause() : e;
        }
        assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure).getResponse().statusCode();
    }

    @Test
    void aMissingUnknownOrUsedTicketIs401AndAnExpiredOneToo() {
        assertThat(handshakeStatus(ws(""), null)).isEqualTo(401);
        assertThat(handshakeStatus(ws("?ticket="), null)).isEqualTo(401);
        assertThat(handshakeStatus(ws("?ticket=" + Ids.randomToken(32)), null)).isEqualTo(401);

        String ticket = issue("user-" + Ids.random());
        assertThat(handshakeStatus(ws("?ticket=" + ticket), null)).isEqualTo(101);
        assertThat(handshakeStatus(ws("?ticket=" + ticket), null)).as("used").isEqualTo(401);

        String expired = Ids.randomToken(32);
        server.context().getBean(TicketStore.class)
                .put(new Ticket(Tickets.hash(expired), "user-late", Instant.now().minusMillis(1)));
        assertThat(handshakeStatus(ws("?ticket=" + expired), null)).isEqualTo(401);
    }

    @Test
    void refusalsAreProblemDocuments() {
        HttpResponse<String> noTicket = server.get("/ws", null);
        assertThat(noTicket.statusCode()).isEqualTo(401);
        assertThat(noTicket.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(noTicket.body()).contains("\"code\":\"unauthorized\"").contains("ticket");

        HttpResponse<String> badOrigin = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/ws?ticket=x"))
                .header("Origin", "https://evil.example").GET().build());
        assertThat(badOrigin.statusCode()).isEqualTo(403);
        assertThat(badOrigin.body()).contains("\"code\":\"forbidden\"");
    }

    @Test
    void aForeignOriginIs403AndDoesNotSpendTheTicketWhileOwnAndConfiguredOriginsAreAllowed() {
        String ticket = issue("user-" + Ids.random());
        assertThat(handshakeStatus(ws("?ticket=" + ticket), "https://evil.example")).isEqualTo(403);
        assertThat(handshakeStatus(ws("?ticket=" + ticket), "http://app.example.org")).as("scheme differs").isEqualTo(403);
        assertThat(handshakeStatus(ws("?ticket=" + ticket), ALLOWED)).isEqualTo(101);

        String own = server.uri("/").toString().replaceAll("/$", "");
        assertThat(handshakeStatus(ws("?ticket=" + issue("user-" + Ids.random())), own)).isEqualTo(101);
    }

    @Test
    void anOriginThatIsNotAUrlIs403AndDoesNotSpendTheTicket() {
        String ticket = issue("user-" + Ids.random());
        String port = Integer.toString(server.uri("/").getPort());
        for (String origin : new String[] {"http://127.0.0.1:" + port + ".evil.example", "http://a:1.b", "http://%zz",
                "http://a b", "http://x:-1", "http://127.0.0.1:99999999999"}) {
            chatapp.server.RawHttp.Response r = chatapp.server.RawHttp.exchange(server.uri("/"),
                    "GET /ws?ticket=" + ticket + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: " + origin
                            + "\r\nConnection: close", null);
            assertThat(r.status()).as(origin + ": " + r.body()).isEqualTo(403);
            assertThat(r.header("content-type")).startsWith("application/problem+json");
            assertThat(r.body()).contains("\"code\":\"forbidden\"");
        }
        assertThat(handshakeStatus(ws("?ticket=" + ticket), null)).as("the ticket is still unspent").isEqualTo(101);
    }

    @Test
    void helloIsTheFirstFrameAndTheConnectionIsRecordedUntilItCloses() throws Exception {
        String userId = "user-" + Ids.random();
        Connections connections = server.context().getBean(Connections.class);
        WebSocketConnection record;
        try (WsClient phone = WsClient.connect(ws("?ticket=" + issue(userId)), null);
             WsClient laptop = WsClient.connect(ws("?ticket=" + issue(userId)), null)) {
            JsonNode hello = phone.next("hello");
            assertThat(hello.path("userId").asString()).isEqualTo(userId);
            assertThat(hello.path("serverTime").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(Duration.between(Instant.parse(hello.path("serverTime").asString()), Instant.now()).abs())
                    .isLessThan(Duration.ofSeconds(5));
            String laptopId = laptop.next("hello").path("connectionId").asString();
            assertThat(laptopId).isNotEqualTo(hello.path("connectionId").asString());

            List<WebSocketConnection> recorded = connections.of(userId);
            assertThat(recorded).extracting(WebSocketConnection::connectionId)
                    .containsExactlyInAnyOrder(hello.path("connectionId").asString(), laptopId);
            record = recorded.getFirst();
            assertThat(record.heldBy()).startsWith("builtin:");
            assertThat(record.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(14)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!connections.of(userId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(connections.of(userId)).as("records after both closed").isEmpty();
    }

    @Test
    void noTicketEverReachesTheLog(CapturedOutput output) {
        String used = issue("user-" + Ids.random());
        try (WsClient c = WsClient.connect(ws("?ticket=" + used), null)) {
            c.next("hello");
            c.send("not json");
            c.next("error");
        }
        handshakeStatus(ws("?ticket=" + used), null);
        String foreign = issue("user-" + Ids.random());
        handshakeStatus(ws("?ticket=" + foreign), "https://evil.example");

        assertThat(output.getAll()).as("Spring web logging is on").contains("/ws");
        assertThat(output.getAll()).doesNotContain(used).doesNotContain(foreign).doesNotContain("ticket=");
    }

    @Test
    void theTicketEndpointHandsOutASingleUseTicketForTheCallerAndTheUrlToUseIt() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        HttpResponse<String> r = server.post("/api/v1/realtime/tickets", "", parent.accessToken());
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode body = JSON.readTree(r.body());
        String ticket = body.path("ticket").asString();
        assertThat(ticket).hasSizeGreaterThanOrEqualTo(43);
        Instant expiresAt = Instant.parse(body.path("expiresAt").asString());
        assertThat(body.path("expiresAt").asString()).endsWith("Z").matches(".*\\.\\d{3}Z");
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
        assertThat(body.path("url").asString()).isEqualTo(ws("?ticket=" + ticket).toString());

        try (WsClient c = WsClient.connect(URI.create(body.path("url").asString()), null)) {
            assertThat(c.next("hello").path("userId").asString()).isEqualTo(parent.userId());
        }
        assertThat(handshakeStatus(URI.create(body.path("url").asString()), null)).as("used").isEqualTo(401);

        assertThat(server.post("/api/v1/realtime/tickets", "", null).statusCode()).isEqualTo(401);
        assertThat(server.post("/api/v1/realtime/tickets", "", "not-a-token").statusCode()).isEqualTo(401);
    }
}
