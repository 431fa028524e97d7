package chatapp.notification;

import chatapp.core.ChatAppException;
import chatapp.core.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One browser's Web Push subscription (RFC 8030), held for one session: the push service's
 * endpoint and the browser's keys for the payload encryption (RFC 8291). It ends with its
 * session (docs/notifications.md).
 *
 * @param userId whose it is
 * @param sessionId the session (refresh-token chain) that made it; one subscription per session
 * @param endpoint the push service's URL for this browser (a capability: never logged)
 * @param p256dh the browser's P-256 public key, base64url (65 bytes, uncompressed)
 * @param auth the browser's authentication secret, base64url (16 bytes)
 * @param createdAt when it was stored
 */
public record PushSubscription(String userId, String sessionId, String endpoint, String p256dh, String auth,
        Instant createdAt) {

    /** The longest endpoint accepted (push services' URLs are a few hundred characters). */
    public static final int MAX_ENDPOINT = 2048;

    @Override
    public String toString() {
        // The endpoint and keys let anyone push to this browser: they stay out of logs.
        return "PushSubscription[userId=" + userId + ", sessionId=" + sessionId + "]";
    }

    /**
     * A subscription from a client's input, checked.
     *
     * @param allowHttp whether an {@code http:} endpoint is accepted (tests with a local push
     *     service); otherwise only {@code https:} (every browser's push service)
     * @param allowPrivateHosts whether the endpoint's host may be, or resolve to, a loopback,
     *     private, link-local or other internal address (tests with a local push service only);
     *     otherwise such an endpoint is refused (docs/security.md, "Push endpoints"). The check
     *     resolves the host, so it may wait on DNS
     * @throws ChatAppException validation_failed naming {@code endpoint}, {@code keys.p256dh} or
     *     {@code keys.auth}
     */
    public static PushSubscription of(String userId, String sessionId, String endpoint, String p256dh, String auth,
            Instant now, boolean allowHttp, boolean allowPrivateHosts) {
        List<FieldError> errors = new ArrayList<>();
        if (endpoint == null || endpoint.isBlank()) {
            errors.add(new FieldError("endpoint", "is required"));
        } else if (endpoint.length() > MAX_ENDPOINT) {
            errors.add(new FieldError("endpoint", "must be at most " + MAX_ENDPOINT + " characters"));
        } else {
            try {
                URI uri = new URI(endpoint);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || allowHttp && scheme.equals("http")) || uri.getHost() == null
                        || uri.getUserInfo() != null || uri.getFragment() != null) {
                    errors.add(new FieldError("endpoint", "must be an https URL of a push service"));
                } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                    // RFC 6335: ports are 1-65535 (java.net.URI takes any digits)
                    errors.add(new FieldError("endpoint", "must have a port from 1 to 65535, or none"));
                } else if (!allowPrivateHosts && !PushEndpoints.isPublicHost(uri.getHost())) {
                    errors.add(new FieldError("endpoint",
                            "must name a push service on the internet (a host that resolves to public addresses only)"));
                }
            } catch (URISyntaxException e) {
                errors.add(new FieldError("endpoint", "must be an https URL of a push service"));
            }
        }
        if (decodedLength(p256dh) != 65 || Base64.getUrlDecoder().decode(strip(p256dh))[0] != 4) {
            errors.add(new FieldError("keys.p256dh", "must be an uncompressed P-256 public key, base64url (65 bytes)"));
        }
        if (decodedLength(auth) != 16) {
            errors.add(new FieldError("keys.auth", "must be a 16-byte secret, base64url"));
        }
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        return new PushSubscription(userId, sessionId, endpoint, strip(p256dh), strip(auth), now);
    }

    /** The browser's public key, raw. */
    byte[] p256dhBytes() {
        return Base64.getUrlDecoder().decode(p256dh);
    }

    /** The authentication secret, raw. */
    byte[] authBytes() {
        return Base64.getUrlDecoder().decode(auth);
    }

    private static String strip(String base64) {
        // Browsers give base64url without padding; some libraries add it.
        return base64.strip().replace("=", "");
    }

    private static int decodedLength(String base64) {
        if (base64 == null || base64.length() > 200) {
            return -1;
        }
        try {
            return Base64.getUrlDecoder().decode(strip(base64)).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
