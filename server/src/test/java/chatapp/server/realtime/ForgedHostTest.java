package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.core.Ids;
import chatapp.realtime.Tickets;
import chatapp.server.RawHttp;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * A DNS-rebinding page (its own name, evil.example, resolving to this server) sends
 * {@code Host: evil.example} and {@code Origin: http://evil.example}: it must not count as the
 * server's own origin, and its Host must never come back in a ticket's {@code url} or the CSP.
 * Users who open the server by IP address or {@code localhost} keep working.
 */
class ForgedHostTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static int port() {
        return server.uri("/").getPort();
    }

    private static String ticket() {
        return server.context().getBean(Tickets.class).issue("user-" + Ids.random()).ticket();
    }

    private static RawHttp.Response handshake(String host, String origin, String ticket) {
        String key = Base64.getEncoder().encodeToString(Ids.random().getBytes()).substring(0, 22) + "==";
        return RawHttp.exchange(server.uri("/"), "GET /ws?ticket=" + ticket + " HTTP/1.1\r\nHost: " + host
                + "\r\nOrigin: " + origin + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13", null);
    }

    @Test
    void aForgedHostWithAMatchingOriginIs403AndKeepsTheTicket() {
        String ticket = ticket();
        RawHttp.Response r = handshake("evil.example:" + port(), "http://evil.example:" + port(), ticket);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("content-type")).startsWith("application/problem+json");
        assertThat(r.body()).contains("\"code\":\"forbidden\"");

        URI own = URI.create("ws://127.0.0.1:" + port() + "/ws?ticket=" + ticket);
        try (WsClient c = WsClient.connect(own, "http://127.0.0.1:" + port())) {
            c.next("hello");
        }
    }

    @Test
    void localhostAndIpAddressesAreStillTheServersOwnOrigin() {
        URI byName = URI.create("ws://localhost:" + port() + "/ws?ticket=" + ticket());
        try (WsClient c = WsClient.connect(byName, "http://localhost:" + port())) {
            c.next("hello");
        }
    }

    @Test
    void aTicketNeverEchoesAForgedHost() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        RawHttp.Response forged = RawHttp.exchange(server.uri("/"), "POST /api/v1/realtime/tickets HTTP/1.1\r\n"
                + "Host: evil.example:" + port() + "\r\nAuthorization: Bearer " + parent.accessToken()
                + "\r\nContent-Length: 0\r\nConnection: close", null);
        assertThat(forged.status()).as(forged.body()).isEqualTo(201);
        String url = JSON.readTree(forged.body()).path("url").asString();
        assertThat(url).doesNotContain("evil").startsWith("ws://127.0.0.1:" + port() + "/ws?ticket=");

        RawHttp.Response local = RawHttp.exchange(server.uri("/"), "POST /api/v1/realtime/tickets HTTP/1.1\r\n"
                + "Host: localhost:" + port() + "\r\nAuthorization: Bearer " + parent.accessToken()
                + "\r\nContent-Length: 0\r\nConnection: close", null);
        assertThat(JSON.readTree(local.body()).path("url").asString()).startsWith("ws://localhost:" + port() + "/ws?ticket=");
    }

    @Test
    void thePagesPolicyNamesNoForgedHost() {
        RawHttp.Response forged = RawHttp.exchange(server.uri("/"), "GET / HTTP/1.1\r\nHost: evil.example:" + port()
                + "\r\nConnection: close", null);
        assertThat(forged.status()).isEqualTo(200);
        assertThat(forged.header("content-security-policy")).contains("connect-src 'self'").doesNotContain("evil");

        RawHttp.Response local = RawHttp.exchange(server.uri("/"), "GET / HTTP/1.1\r\nHost: localhost:" + port()
                + "\r\nConnection: close", null);
        assertThat(local.header("content-security-policy")).contains("connect-src 'self' ws://localhost:" + port());
    }
}
