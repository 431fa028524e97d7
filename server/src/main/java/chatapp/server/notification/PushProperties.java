package chatapp.server.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Web Push (docs/notifications.md, README "Configuration"), {@code chatapp.push.*}:
 *
 * @param subject who runs this server, for push services ({@code mailto:} or {@code https:}
 *     URL, RFC 8292); {@code CHATAPP_PUSH_SUBJECT}
 * @param vapidKeys the VAPID key pair as text ({@code chatapp.notification.VapidKeyPair});
 *     {@code CHATAPP_PUSH_VAPID_KEYS}. Unset on one machine: generated into the data directory
 * @param vapidKeysSecret a Secrets Manager secret holding that text, read at start when
 *     {@code vapidKeys} is unset (the AWS shape); {@code CHATAPP_PUSH_VAPID_KEYS_SECRET}
 * @param allowHttpEndpoints accept {@code http:} subscription endpoints (a local push service in
 *     tests); browsers' push services are all {@code https:}. Default false
 * @param allowPrivateEndpoints accept and push to endpoints whose host is, or resolves to, a
 *     loopback, private, link-local or other internal address (a local push service in tests
 *     ONLY: it turns off the protection against server-side request forgery,
 *     docs/security.md "Push endpoints"); {@code CHATAPP_PUSH_ALLOW_PRIVATE_ENDPOINTS}. Default false
 * @param threads how many pushes may wait on push services at once (default 4)
 */
@ConfigurationProperties("chatapp.push")
public record PushProperties(String subject, String vapidKeys, String vapidKeysSecret, boolean allowHttpEndpoints,
        boolean allowPrivateEndpoints, Integer threads) {

    public PushProperties {
        if (subject == null || subject.isBlank()) {
            subject = "mailto:postmaster@localhost";
        }
        if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
            throw new IllegalArgumentException("chatapp.push.subject must start with mailto: or https://");
        }
        if (threads == null) {
            threads = 4;
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("chatapp.push.threads must be between 1 and 64");
        }
    }
}
