package chatapp.server.web;

import chatapp.server.ChatAppProperties;
import chatapp.server.security.OwnHost;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * The web client's one page, at {@code /}: {@code static/index.html} with its {@code /app/}
 * links pointed at the current content version (see {@link WebClientConfiguration}), served with
 * a strict Content-Security-Policy. The policy allows scripts and styles from this origin only
 * (no inline script, no inline style attribute, no eval), images and videos from this origin or
 * from {@code blob:} URLs the client makes of fetched media, and connections to this origin and
 * the WebSocket origin.
 */
@Controller
class WebClientPage {

    /** A Host header that could smuggle anything into the policy is ignored. */
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private final String html;
    private final String version;
    private final ChatAppProperties properties;
    private final OwnHost ownHost;

    WebClientPage(WebClientConfiguration configuration, ChatAppProperties properties, OwnHost ownHost) {
        this.version = configuration.version();
        this.properties = properties;
        this.ownHost = ownHost;
        try (InputStream in = new ClassPathResource("static/index.html").getInputStream()) {
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.html = raw.replace("\"/app/", "\"/app/" + version + "/");
        } catch (IOException e) {
            throw new UncheckedIOException("the web client's index.html is missing from the jar", e);
        }
    }

    @GetMapping({"/", "/index.html"})
    ResponseEntity<String> page(HttpServletRequest request, @RequestHeader(name = HttpHeaders.HOST, required = false) String host) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .eTag(version)
                .header("Content-Security-Policy", policy(request.isSecure(), host))
                .header("Referrer-Policy", "no-referrer")
                .header("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                .body(html);
    }

    String policy(boolean secure, String host) {
        List<String> connect = new ArrayList<>(List.of("'self'"));
        if (properties.websocketUrl() != null && !properties.websocketUrl().isBlank()) {
            connect.add(WebClientConfiguration.websocketSource(properties, secure, "localhost"));
        } else if (host != null && SAFE_HOST.matcher(host).matches() && ownHost.trusts(host)) {
            // Only a Host that is one of this server's names (a forged one gets 'self' alone).
            connect.add(WebClientConfiguration.websocketSource(properties, secure, host));
        }
        List<String> media = new ArrayList<>(List.of("'self'", "blob:"));
        String s3 = mediaSource();
        if (s3 != null) {
            media.add(s3);
            connect.add(s3);
        }
        String mediaSources = String.join(" ", media);
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src " + mediaSources + " data:",
                "media-src " + mediaSources,
                "connect-src " + String.join(" ", connect),
                "font-src 'self'",
                "manifest-src 'self'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'");
    }

    /** Where signed media URLs point when media lives in S3: the endpoint override, else AWS. */
    private String mediaSource() {
        if (properties.media() != ChatAppProperties.Media.S3) {
            return null;
        }
        URI endpoint = properties.s3Endpoint();
        return endpoint != null ? endpoint.getScheme() + "://" + endpoint.getRawAuthority() : "https://*.amazonaws.com";
    }
}
