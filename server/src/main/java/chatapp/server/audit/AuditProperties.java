package chatapp.server.audit;

import chatapp.audit.AuditLog;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log's settings (docs/audit.md, "Retention"): {@code chatapp.audit.*}, e.g.
 * {@code CHATAPP_AUDIT_RETENTION=2200d}.
 *
 * @param retention how long an entry is kept, at least a day; six years by default
 *     ({@link AuditLog#DEFAULT_RETENTION}). Applies to entries written from then on.
 * @param purgeEvery how often the one-machine shape deletes expired entries (DynamoDB's TTL
 *     needs no job)
 */
@ConfigurationProperties("chatapp.audit")
public record AuditProperties(
        @DefaultValue("2192d") Duration retention,
        @DefaultValue("1h") Duration purgeEvery) {
}
