package chatapp.notification;

import chatapp.core.PublicAddresses;
import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import java.io.IOException;
import java.net.URI;
import java.net.InetAddress;
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

/**
 * Sends one Web Push message to one subscription (RFC 8030): the payload encrypted for the
 * browser (RFC 8291, {@code aes128gcm}) and signed for the push service with the server's VAPID
 * key (RFC 8292), both by the {@code com.interaso:webpush} library; the HTTP request is ours
 * ({@link PushRequest}, with timeouts), sent to the very address that was checked. Used by both
 * shapes (server and Lambda) through {@link Notifications}.
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
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebPush webPush;
    private final VapidKeys keys;
    private final PushRequest http;
    private final boolean allowPrivateHosts;
    private final PublicAddresses.Resolver resolver;

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
        this.http = new PushRequest(tls, TIMEOUT);
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
     * connect and 10 s for the answer); never throws for what the network or the push service
     * does. The endpoint's host is resolved again first, once: one that now resolves to an
     * internal address is not connected to ({@link Outcome#REFUSED}); otherwise the request goes
     * to the address checked, never to a second answer of DNS (docs/security.md, "Push endpoints").
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
        InetAddress address;
        if (allowPrivateHosts) {
            try {
                address = resolver.resolve(endpoint.getHost())[0];
            } catch (UnknownHostException | RuntimeException e) {
                return Outcome.FAILED;
            }
        } else {
            // Checked at subscription too, but DNS may have changed since (or a stored row predates the rule).
            List<InetAddress> checked = PublicAddresses.of(endpoint.getHost(), resolver);
            if (checked.isEmpty()) {
                return Outcome.REFUSED;
            }
            address = checked.getFirst();
        }
        try {
            byte[] body = webPush.getBody(payload.getBytes(StandardCharsets.UTF_8), subscription.p256dhBytes(),
                    subscription.authBytes());
            var headers = webPush.getHeaders(subscription.endpoint(), (int) TTL.toSeconds(), topicHeader(topic),
                    WebPush.Urgency.Normal);
            int status = http.post(endpoint, address, headers, body);
            if (status >= 200 && status < 300) {
                return Outcome.SENT;
            }
            return status == 404 || status == 410 ? Outcome.GONE : Outcome.FAILED;
        } catch (IOException | RuntimeException e) {
            return Outcome.FAILED;
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
