package chatapp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RawHttp;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Requests refused before a controller sees them, over real sockets: oversized bodies (413
 * {@code too_large}, declared or chunked, answered without reading the whole body) and paths or
 * headers that Tomcat or Spring Security's firewall refuse (400 {@code bad_request}); every one
 * a problem document, never an HTML page.
 */
class RequestRefusalsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static URI base() {
        return server.uri("/");
    }

    private static JsonNode problem(RawHttp.Response r, int status, String code) {
        return r.problem(status, code);
    }


    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeItIsSent() {
        byte[] start = "{\"email\":\"".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = RawHttp.exchange(base(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 60000000", start);
        JsonNode body = problem(r, 413, "too_large");
        assertThat(body.path("detail").asString()).contains("256 KiB");
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWithoutReadingTheRest() {
        StringBuilder chunks = new StringBuilder();
        chunks.append(chunk("{\"email\":\""));
        for (int i = 0; i < 40; i++) {
            chunks.append(chunk("a".repeat(8 * 1024))); // 320 KiB, and the body never ends
        }
        RawHttp.Response r = RawHttp.exchange(base(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked",
                chunks.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(problem(r, 413, "too_large").path("detail").asString()).contains("256 KiB");
        // the server takes no further request on this connection, and its answer is delimited (a
        // length or chunks), so a client still sending need not wait for the connection to end
        assertThat(r.header("connection")).isEqualTo("close");
        assertThat(r.header("content-length") != null || "chunked".equals(r.header("transfer-encoding")))
                .as("a delimited answer: %s", r.headers()).isTrue();
    }

    @Test
    void aBodyUnderTheLimitIsRead() {
        String email = "a".repeat(200 * 1024) + "@example.org";
        var r = server.post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"x\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).contains("invalid_credentials");
    }

    @Test
    void mediaUploadsKeepTheirOwnLimits() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        byte[] notAPhoto = new byte[300 * 1024];
        Arrays.fill(notAPhoto, (byte) 'x');
        RawHttp.Response r = RawHttp.exchange(base(), "POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + parent.accessToken() + "\r\nConnection: close\r\n"
                + "Content-Type: image/png\r\nContent-Length: " + notAPhoto.length, notAPhoto);
        problem(r, 415, "unsupported_media"); // sniffed and refused for what it is, not for its size
    }

    @Test
    void encodedSlashesDotSegmentsNulSemicolonsAndBackslashesAreProblemDocuments() {
        for (String path : new String[] {
                "/api/v1/conversations/..%2Fusers", "/api/v1/conversations/%2e%2e/users", "/api/v1/users/%2E%2E%2Fme",
                "/api/v1/users/%00", "/api/v1/users/me%00.json", "/api/v1/users;jsessionid=ABC",
                "/api/v1/users/me;x=1", "/api/v1/users\\me", "/api/v1/users/%5Cme", "//api/v1/users",
                "/api/v1/users/../../etc/passwd", "/api/v1/users/%25", "/api/v1/users/%zz", "/../etc/passwd",
                "/app/..%2F..%2Fpom.xml", "/api/v1/users/%C0%AE", "/" + "a".repeat(20_000)}) {
            RawHttp.Response r = RawHttp.exchange(base(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close", null);
            JsonNode body = problem(r, 400, "bad_request");
            assertThat(body.path("detail").asString()).as(path).containsAnyOf("path", "malformed");
        }
    }

    @Test
    void malformedRequestLinesAndHeadersAreProblemDocuments() {
        for (String head : new String[] {
                "GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "p".repeat(16 * 1024),
                "GET /a b c HTTP/1.1\r\nHost: 127.0.0.1",
                "GET /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x"}) {
            problem(RawHttp.exchange(base(), head + "\r\nConnection: close", null), 400, "bad_request");
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }
}
