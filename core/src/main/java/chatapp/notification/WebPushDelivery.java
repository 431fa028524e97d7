package chatapp.notification;

import chatapp.core.Lazy;
import chatapp.core.PublicAddresses;
import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one Web Push message to one subscription (RFC 8030): the payload encrypted for the
 * browser (RFC 8291, {@code aes128gcm}) and signed for the push service with the server's VAPID
 * key (RFC 8292), both by the {@code com.interaso:webpush} library; the POST by Apache
 * HttpClient 5, whose connections go only to the addresses checked for that push (decision 53).
 * Used by both shapes (server and Lambda) through {@link Notifications}.
 */
public final class WebPushDelivery {

    /** What the push service answered. */
    public enum Outcome {
        /** 2xx: accepted for delivery. */
        SENT,
        /** 404 or 410: the subscription is gone and must be removed (RFC 8030, section 7.3). */
        GONE,
        /** Anything else (429, 5xx, a network error): logged, the subscription kept. */
        FAILED,
        /**
         * Not sent: the endpoint's host now resolves to an internal address (DNS changed since it
         * was stored, docs/security.md "Push endpoints"); the subscription must be removed.
         */
        REFUSED
    }

    /** How long a push service may hold the message for an offline browser: a day. */
    public static final Duration TTL = Duration.ofDays(1);
    private static final Timeout TIMEOUT = Timeout.ofSeconds(10);
    /** {@code chatapp.push.threads} is at most 64: no push ever waits for a connection of the pool. */
    private static final int MAX_CONNECTIONS = 64;

    private final WebPush webPush;
    private final VapidKeys keys;
    private final boolean allowPrivateHosts;
    private final PublicAddresses.Resolver resolver;
    private final SSLContext tls;
    private final Lazy<CloseableHttpClient> http = Lazy.of(this::newClient);

    /**
     * A delivery that refuses endpoints on internal addresses.
     *
     * @param subject who runs this server, for the push service ({@code mailto:} or {@code https:}, RFC 8292)
     * @throws IllegalArgumentException if the subject is neither
     */
    public WebPushDelivery(String subject, VapidKeys keys) {
        this(subject, keys, false);
    }

    /**
     * @param subject who runs this server, for the push service ({@code mailto:} or {@code https:}, RFC 8292)
     * @param allowPrivateHosts connect also to endpoints on loopback and other internal addresses
     *     (tests with a local push service only; docs/security.md, "Push endpoints")
     * @throws IllegalArgumentException if the subject is neither
     */
    public WebPushDelivery(String subject, VapidKeys keys, boolean allowPrivateHosts) {
        this(subject, keys, allowPrivateHosts, PublicAddresses.Resolver.SYSTEM, defaultTls());
    }

    /** Tests: a resolver whose answers change (DNS rebinding), a TLS context that trusts a test certificate. */
    WebPushDelivery(String subject, VapidKeys keys, boolean allowPrivateHosts, PublicAddresses.Resolver resolver,
            SSLContext tls) {
        this.allowPrivateHosts = allowPrivateHosts;
        this.keys = Objects.requireNonNull(keys);
        this.webPush = new WebPush(subject, keys);
        this.resolver = Objects.requireNonNull(resolver);
        this.tls = Objects.requireNonNull(tls);
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key browsers subscribe with ({@code applicationServerKey}), base64url without padding. */
    public String publicKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(keys.getApplicationServerKey());
    }

    /**
     * Sends {@code payload} to {@code subscription}, waiting for the answer (at most 10 s to
     * connect to each checked address, and 10 s for each read of the answer); never throws for
     * what the network or the push service does. The endpoint's host is resolved again first,
     * once: one that now resolves to an internal address is not connected to
     * ({@link Outcome#REFUSED}); otherwise the request goes to the addresses checked, never to a
     * second answer of DNS (docs/security.md, "Push endpoints").
     *
     * @param topic collapses pending messages of the same topic at the push service (RFC 8030
     *     section 5.4); any string, hashed to the header's 32 base64url characters
     */
    public Outcome send(PushSubscription subscription, String payload, String topic) {
        URI endpoint;
        try {
            endpoint = URI.create(subscription.endpoint());
        } catch (IllegalArgumentException e) {
            return Outcome.REFUSED;
        }
        if (endpoint.getHost() == null) {
            return Outcome.REFUSED;
        }
        try {
            byte[] body = webPush.getBody(payload.getBytes(StandardCharsets.UTF_8), subscription.p256dhBytes(),
                    subscription.authBytes());
            HttpPost post = new HttpPost(endpoint);
            webPush.getHeaders(subscription.endpoint(), (int) TTL.toSeconds(), topicHeader(topic),
                    WebPush.Urgency.Normal).forEach(post::setHeader);
            post.setHeader(HttpHeaders.CONNECTION, "close");
            post.setEntity(new ByteArrayEntity(body, null));
            int status = status(post);
            if (status >= 200 && status < 300) {
                return Outcome.SENT;
            }
            return status == 404 || status == 410 ? Outcome.GONE : Outcome.FAILED;
        } catch (InternalAddress e) {
            return Outcome.REFUSED;
        } catch (IOException | RuntimeException e) {
            return Outcome.FAILED;
        }
    }

    /**
     * The answer's status code. Its body is never read, nor drained on close: the connection is
     * dropped at once (an answer is its status; a service that sent an endless body would hold the
     * notifier's thread).
     */
    private int status(HttpPost post) throws IOException {
        ClassicHttpResponse response = http.get().executeOpen(null, post, null);
        try {
            return response.getCode();
        } finally {
            if (response instanceof ModalCloseable closeable) {
                closeable.close(CloseMode.IMMEDIATE);
            } else {
                response.close();
            }
        }
    }

    /**
     * The client, made on first push (a server or Lambda without pushes never loads it). Every
     * connection is new: the host is resolved and checked once per push ({@link CheckedDns}), so
     * a name that now resolves inward is seen at the next push and its subscription removed; no
     * pooled connection is kept to skip that check. Not done on purpose: system proxy settings
     * (a proxy would resolve the name itself), redirects, retries (a retry resolves again),
     * cookies, compression.
     */
    private CloseableHttpClient newClient() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedDns(resolver, allowPrivateHosts))
                        // The JDK's HTTPS endpoint identification: the certificate must
                        // name the endpoint's host, which is also the server name (SNI).
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(TIMEOUT).setSocketTimeout(TIMEOUT).build())
                        .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(TIMEOUT).setResponseTimeout(TIMEOUT)
                        .setRedirectsEnabled(false).setProtocolUpgradeEnabled(false).build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableContentCompression().disableAuthCaching()
                .build();
    }

    /**
     * The connection manager's only way to a host's addresses: one resolution, every address
     * checked by {@link PublicAddresses} (unless private hosts are allowed), and the connection
     * made to those addresses, tried in order. Decision 53.
     */
    private record CheckedDns(PublicAddresses.Resolver resolver, boolean allowPrivateHosts) implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            if (allowPrivateHosts) {
                InetAddress[] any = resolver.resolve(host);
                if (any == null || any.length == 0) {
                    throw new UnknownHostException("no address");
                }
                return any;
            }
            List<InetAddress> checked = PublicAddresses.of(host, resolver);
            if (checked.isEmpty()) {
                throw new InternalAddress();
            }
            return checked.toArray(InetAddress[]::new);
        }

        /** Asked only for authentication schemes that push never uses: answered without DNS. */
        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    /** The endpoint's host resolves to an internal address, or to none: nothing was connected to. */
    private static final class InternalAddress extends UnknownHostException {
        InternalAddress() {
            super("refused: not a public address");
        }
    }

    /** RFC 8030: a Topic is at most 32 characters of the base64url alphabet. */
    static String topicHeader(String topic) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 24));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
