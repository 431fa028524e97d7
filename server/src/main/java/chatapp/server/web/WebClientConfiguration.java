package chatapp.server.web;

import chatapp.server.ChatAppProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the bundled web client (plain ES modules under {@code static/app/}, no build step).
 *
 * <p>Caching: the page at {@code /} (see {@link WebClientPage}) names its files under
 * {@code /app/<version>/}, where the version is a hash of their content. Those URLs never change
 * meaning, so they are cached for a year as {@code immutable}; a new release has a new version
 * and a new page. The page itself and unversioned {@code /app/...} paths are revalidated on every
 * use ({@code no-cache}, with {@code Last-Modified}).
 */
@Configuration(proxyBeanMethods = false)
class WebClientConfiguration implements WebMvcConfigurer {

    static final String CLIENT_LOCATION = "classpath:/static/app/";

    private final String version;

    WebClientConfiguration() {
        this.version = contentVersion();
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/app/" + version + "/**")
                .addResourceLocations(CLIENT_LOCATION)
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/app/**")
                .addResourceLocations(CLIENT_LOCATION)
                .setCacheControl(CacheControl.noCache());
    }

    /** {@code v-} and the first 12 hex digits of SHA-256 over every client file's path and bytes. */
    String version() {
        return version;
    }

    private static String contentVersion() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(CLIENT_LOCATION + "**/*");
            Arrays.sort(files, Comparator.comparing(WebClientConfiguration::path));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Resource file : files) {
                if (!file.isReadable()) {
                    continue; // a directory
                }
                sha.update(path(file).getBytes(StandardCharsets.UTF_8));
                try (InputStream in = file.getInputStream()) {
                    sha.update(in.readAllBytes());
                }
            }
            return "v-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web client's files", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(Resource r) {
        try {
            String url = r.getURL().toString();
            int at = url.lastIndexOf("/static/app/");
            return at < 0 ? url : url.substring(at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The origins the client's WebSocket may connect to, for CSP {@code connect-src}: the
     * configured {@code CHATAPP_WEBSOCKET_URL} (e.g. API Gateway) or else this server's own
     * {@code /ws}, reached as {@code ws://} or {@code wss://} beside the page's scheme.
     */
    static String websocketSource(ChatAppProperties properties, boolean secure, String host) {
        if (properties.websocketUrl() != null && !properties.websocketUrl().isBlank()) {
            URI url = URI.create(properties.websocketUrl());
            return url.getScheme() + "://" + url.getRawAuthority();
        }
        return (secure ? "wss://" : "ws://") + host;
    }
}
