package chatapp.server.account;

import chatapp.userdata.Retention;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Retention#sweep} every interval on one daemon thread, on one machine only (the AWS
 * shape has DynamoDB's TTL instead; docs/audit.md, "Retention"). Stateless: the messages' times
 * say what is due, so a restart loses nothing.
 */
public final class RetentionSweep implements AutoCloseable {

    /** The conversations to walk: (after this id, null first; at most this many) to the next ids. */
    @FunctionalInterface
    public interface Conversations {
        List<String> after(String afterConversationId, int limit);
    }

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });

    /** @param conversations null: nothing to walk (the AWS shape, where TTL deletes) */
    RetentionSweep(Retention retention, Conversations conversations, Duration every) {
        if (conversations == null) {
            log.info("messages expire by DynamoDB's TTL; no retention job on this node");
            return;
        }
        long millis = Math.max(1, every.toMillis());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                int deleted = retention.sweep(conversations::after);
                if (deleted > 0) {
                    log.info("retention deleted {} messages", deleted);
                }
            } catch (RuntimeException e) {
                log.warn("retention sweep failed: {}", e.toString()); // the next run tries again
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
