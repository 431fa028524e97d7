package chatapp.server.notification;

import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import chatapp.notification.UnreadReminders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due unread-message reminders on one machine: every {@code every}, the due rows of the
 * SQLite queue, each claimed before it runs (so it runs once). The queue is on disk, so a
 * restart loses nothing: what fell due while the server was down runs at the first poll. In the
 * AWS shape the queue delivers reminders itself (EventBridge Scheduler) and {@code due} is empty.
 */
final class ReminderPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReminderPoller.class);
    private static final int BATCH = 100;

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unread-reminders");
        t.setDaemon(true);
        return t;
    });
    private final ReminderQueue queue;
    private final UnreadReminders reminders;
    private final Clock clock;

    ReminderPoller(ReminderQueue queue, UnreadReminders reminders, Clock clock, Duration every) {
        this.queue = queue;
        this.reminders = reminders;
        this.clock = clock;
        long millis = Math.max(1, every.toMillis());
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs every reminder due now; the number run. */
    int poll() {
        int run = 0;
        try {
            List<Reminder> due;
            do {
                due = queue.due(clock.instant(), BATCH);
                for (Reminder r : due) {
                    reminders.run(r);
                    run++;
                }
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            // the next poll tries again: a store that does not answer must not end the schedule
            log.warn("could not run unread-message reminders: {}", e.toString());
        }
        return run;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
