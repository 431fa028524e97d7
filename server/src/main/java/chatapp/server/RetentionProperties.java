package chatapp.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long messages and the photos and videos they carry are kept (issue 22; docs/audit.md,
 * "Retention"): {@code chatapp.retention.messages} ({@code CHATAPP_RETENTION_MESSAGES}), an
 * ISO-8601 duration such as {@code P365D}; unset (the default) keeps them for ever. One machine: an
 * hourly job deletes older ones; AWS: DynamoDB's TTL, and reads leave out the expired ones.
 *
 * @param messages how long after it was sent a message is deleted; null for never
 * @param sweep how often the one-machine job runs (the first time one interval after the start)
 */
@ConfigurationProperties("chatapp.retention")
public record RetentionProperties(Duration messages, Duration sweep) {

    public RetentionProperties {
        if (messages != null && (messages.isNegative() || messages.isZero())) {
            throw new IllegalArgumentException("chatapp.retention.messages must be positive, e.g. P365D");
        }
        if (sweep == null) {
            sweep = Duration.ofHours(1);
        }
    }
}
