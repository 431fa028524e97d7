package chatapp.server.audit;

import chatapp.audit.AuditLog;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired audit entries every interval on one daemon thread, the first time one minute
 * after the start (docs/audit.md, "Retention"). On DynamoDB TTL does it and each run deletes
 * nothing. Stateless: the entries say when they expire.
 */
final class AuditPurge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditPurge.class);

    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-purge");
        t.setDaemon(true);
        return t;
    });

    AuditPurge(AuditLog audit, Duration every) {
        purger.scheduleWithFixedDelay(() -> {
            try {
                int removed = audit.purgeExpired();
                if (removed > 0) {
                    log.info("removed {} audit entries past their retention", removed);
                }
            } catch (RuntimeException e) {
                // the next run tries again: a store that does not answer must not end the schedule
                log.warn("could not remove expired audit entries: {}", e.toString());
            }
        }, 60_000, Math.max(1, every.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        purger.shutdownNow();
    }
}
