package chatapp.notification;

import java.time.Instant;
import java.util.List;

/**
 * Port: the durable queue of {@link Reminder}s (docs/notifications.md, "Email"). Two adapters,
 * both proven by {@code ReminderQueueContract}: SQLite (a due-jobs table the server's poller reads,
 * surviving a restart) and DynamoDB with EventBridge Scheduler (a pending item per key, and a
 * one-time schedule that invokes the reminder Lambda at its time: no timer inside any instance).
 * Whoever runs a reminder first {@link #claim}s it, so it runs once however often it is delivered.
 */
public interface ReminderQueue {

    /**
     * Queues the reminder unless one with the same {@link Reminder#key} is pending (then the
     * pending one stands: one email per conversation per period).
     *
     * @return true if this call queued it
     */
    boolean schedule(Reminder reminder);

    /**
     * Takes the pending reminder off the queue before it runs: of any number of calls for one
     * reminder (same key and due time), concurrent or not, exactly one gets true; every later call,
     * and a call for a reminder that is not the pending one of its key, gets false.
     */
    boolean claim(Reminder reminder);

    /**
     * The pending reminders due at {@code now} or before, earliest first, at most {@code limit}:
     * for a shape whose server polls (SQLite). Empty where the queue delivers them itself
     * (EventBridge Scheduler invokes the Lambda).
     */
    List<Reminder> due(Instant now, int limit);
}
