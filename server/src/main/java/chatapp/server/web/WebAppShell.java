package chatapp.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * What makes the web client an installable app (docs/web-client.md, "Installable and offline"):
 * the web app manifest at {@code /manifest.webmanifest}, as {@code application/manifest+json},
 * and the service worker at {@code /app/sw.js} with {@code Service-Worker-Allowed: /}, since a
 * worker under {@code /app/} may otherwise only control {@code /app/...} and the page is at
 * {@code /}. Both are revalidated on every use ({@code no-cache}) so that a release reaches
 * installed apps at their next start.
 */
@Controller
@io.swagger.v3.oas.annotations.Hidden // files of the web client, not the API
class WebAppShell {

    static final MediaType MANIFEST = MediaType.parseMediaType("application/manifest+json");
    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

    private final byte[] manifest = read("static/manifest.webmanifest");
    private final byte[] worker = read("static/app/sw.js");

    @GetMapping("/manifest.webmanifest")
    ResponseEntity<byte[]> manifest() {
        return ResponseEntity.ok().contentType(MANIFEST).cacheControl(CacheControl.noCache()).body(manifest);
    }

    @GetMapping("/app/sw.js")
    ResponseEntity<byte[]> serviceWorker() {
        return ResponseEntity.ok()
                .contentType(JAVASCRIPT)
                .cacheControl(CacheControl.noCache())
                .header("Service-Worker-Allowed", "/")
                .body(worker);
    }

    private static byte[] read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the web client's " + path + " is missing from the jar", e);
        }
    }
}
