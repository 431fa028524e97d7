package chatapp.server.media;

import chatapp.media.UnattachedUploads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link UnattachedUploads#sweep()} every interval on one daemon thread, the first time one
 * interval after the start (docs/media.md, "Uploads never sent"). Stateless over the store (the
 * records say what is due), so a restart loses nothing, and every node of the AWS shape may run
 * it: their deletes are conditional.
 */
final class UnattachedUploadsSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UnattachedUploadsSweep.class);

    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unattached-uploads");
        t.setDaemon(true);
        return t;
    });

    UnattachedUploadsSweep(UnattachedUploads uploads, Duration every, Duration age) {
        long millis = Math.max(1, every.toMillis());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int deleted = uploads.sweep();
                if (deleted > 0) {
                    log.info("deleted {} uploads that no message used within {}", deleted, age);
                }
            } catch (RuntimeException e) {
                // the next sweep tries again: a store that does not answer must not end the schedule
                log.warn("could not delete unattached uploads: {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
