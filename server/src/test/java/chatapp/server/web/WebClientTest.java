package chatapp.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web client's page and files over real HTTP: CSP, cache headers, versioned links. */
class WebClientTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void pageIsServedWithAStrictPolicyAndNoCache() {
        HttpResponse<String> page = server.get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                "connect-src 'self' ws://" + server.uri("/").getAuthority());
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.body()).doesNotContain("<script>", "style=").doesNotContainPattern(" on[a-z]+=");
    }

    @Test
    void versionedFilesAreImmutableAndUnversionedOnesRevalidate() {
        String body = server.get("/", null).body();
        Matcher m = Pattern.compile("src=\"(/app/v-[0-9a-f]{12}/main\\.js)\"").matcher(body);
        assertThat(m.find()).as("the page links the versioned main.js: %s", body).isTrue();

        HttpResponse<String> versioned = server.get(m.group(1), null);
        assertThat(versioned.statusCode()).isEqualTo(200);
        assertThat(versioned.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(versioned.headers().firstValue("Cache-Control")).hasValue("max-age=31536000, public, immutable");

        HttpResponse<String> plain = server.get("/app/main.js", null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(plain.body()).isEqualTo(versioned.body());
    }

    @Test
    void aHostHeaderCannotWidenThePolicy() {
        WebClientPage page = server.context().getBean(WebClientPage.class);
        assertThat(page.policy(false, "evil.example; script-src *")).doesNotContain("evil", "script-src *");
        assertThat(page.policy(true, "chat.example.org")).as("not one of this server's names")
                .doesNotContain("chat.example.org");
        assertThat(page.policy(true, "192.168.1.20:8080")).contains("connect-src 'self' wss://192.168.1.20:8080");
        assertThat(page.policy(false, "localhost:8080")).contains("connect-src 'self' ws://localhost:8080");
    }
}
