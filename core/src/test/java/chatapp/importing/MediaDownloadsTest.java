package chatapp.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./chatapp import-prototype}'s media fetches (docs/operations.md): http(s) only, no
 * loopback, private or special-purpose host unless the operator allows it (every redirect hop
 * checked), bounded in size and time. Real HTTP on loopback.
 */
class MediaDownloadsTest {

    @TempDir
    Path tmp;

    private HttpServer http;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void serve() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            asked.add(path);
            exchange.getRequestBody().readAllBytes();
            switch (path) {
                case "/photo" -> {
                    exchange.sendResponseHeaders(200, 3);
                    exchange.getResponseBody().write(new byte[] {1, 2, 3});
                }
                case "/big" -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(new byte[4096]);
                    } catch (IOException ignored) {
                        // the client stopped reading
                    }
                }
                case "/slow" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try {
                        exchange.getResponseBody().write(1);
                        exchange.getResponseBody().flush();
                        Thread.sleep(5_000);
                    } catch (InterruptedException | IOException ignored) {
                        // stopped
                    }
                }
                case "/to-file" -> redirect(exchange, "file:///etc/passwd");
                case "/to-photo" -> redirect(exchange, "/photo");
                case "/loop" -> redirect(exchange, "/loop");
                default -> exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private static void redirect(com.sun.net.httpserver.HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private MediaDownloads downloads(boolean allowPrivate) {
        return new MediaDownloads(Duration.ofSeconds(2), Duration.ofSeconds(2), 1000, tmp.resolve("spool"), allowPrivate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/photo", "/to-photo"})
    void aLoopbackHostIsNeverContactedByDefault(String path) {
        try (MediaDownloads d = downloads(false)) {
            assertThatThrownBy(() -> d.fetch(base + path)).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessageContaining("special-purpose address").hasMessageContaining("--allow-private-media-hosts")
                    .message().doesNotContain("127.0.0.1");
        }
        assertThat(asked).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:1/photo", "http://10.0.0.1/photo", "https://169.254.169.254/latest",
        "http://[::1]/photo", "http://192.0.2.1/photo", "http://198.18.0.1/photo", "http://2130706433/photo",
        "http://[::ffff:127.0.0.1]/photo", "http://no-such-host.invalid/photo"})
    void internalAndSpecialPurposeHostsAreRefused(String url) {
        try (MediaDownloads d = downloads(false)) {
            assertThatThrownBy(() -> d.fetch(url)).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessageContaining("special-purpose address");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://example.org/photo", "gopher://example.org/", "jar:file:/x!/y",
        "not a url", "//example.org/photo"})
    void onlyHttpAndHttpsAreFetched(String url) {
        try (MediaDownloads d = downloads(true)) {
            assertThatThrownBy(() -> d.fetch(url)).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessage("the media is not an http(s) URL");
        }
    }

    @Test
    void theOperatorsSwitchAdmitsAPrivateHostAndRedirectsAreCheckedEachHop() throws Exception {
        try (MediaDownloads d = downloads(true)) {
            Path file = d.fetch(base + "/to-photo");
            assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> d.fetch(base + "/to-file")).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessage("the media is not an http(s) URL");
            assertThatThrownBy(() -> d.fetch(base + "/loop")).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessageContaining("redirected more than " + MediaDownloads.MAX_REDIRECTS);
        }
    }

    @Test
    void sizeAndTimeAreBounded() {
        try (MediaDownloads d = downloads(true)) {
            assertThatThrownBy(() -> d.fetch(base + "/big")).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessageContaining("larger than 1000 bytes");
            long start = System.nanoTime();
            assertThatThrownBy(() -> d.fetch(base + "/slow")).isInstanceOf(MediaDownloads.Failed.class)
                    .hasMessageContaining("within 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        try (var spool = Files.list(tmp.resolve("spool"))) {
            assertThat(spool).as("no partial file left").isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
