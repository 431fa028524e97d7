package chatapp.server.operations;

import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import chatapp.server.backup.Backup;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CHATAPP_BACKUP_DIR}: the server backs itself up into a folder every
 * {@code CHATAPP_BACKUP_EVERY} (default a day, the first one interval after the start) and keeps
 * the newest {@code CHATAPP_BACKUP_KEEP} (default 7), the same {@link Backup} as
 * {@code chatapp backup}. One machine only (the AWS shape has point-in-time recovery); a failed
 * run is logged and the next one tries again.
 */
final class ScheduledBackup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduledBackup.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scheduled-backup");
        t.setDaemon(true);
        return t;
    });

    /** @throws OperatorError with a store other than SQLite, or an interval or keep below 1 */
    ScheduledBackup(ChatAppProperties properties, Path dir, Duration every, int keep, Clock clock) {
        if (properties.store() != ChatAppProperties.Store.SQLITE) {
            throw new OperatorError("CHATAPP_BACKUP_DIR backs up the one-machine shape (CHATAPP_STORE=sqlite); "
                    + "DynamoDB and S3 have point-in-time recovery and versioning (docs/operations.md)");
        }
        if (every.isNegative() || every.isZero() || keep < 1) {
            throw new OperatorError("CHATAPP_BACKUP_EVERY must be positive and CHATAPP_BACKUP_KEEP at least 1");
        }
        Backup backup = new Backup(properties.dataDir(), dir, clock);
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                Backup.Result r = backup.run(keep, new PrintStream(OutputStream.nullOutputStream()));
                log.info("backup {}: database {} bytes, media {} copied, {} unchanged, {} missing; {} older deleted",
                        r.backup(), r.databaseBytes(), r.mediaCopied(), r.mediaLinked(), r.mediaMissing().size(),
                        r.deleted());
            } catch (RuntimeException e) {
                log.error("scheduled backup into {} failed: {}", dir, e.getMessage());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
