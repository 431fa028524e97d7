package chatapp.notification;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the durable queue of {@link Reminder}s (docs/notifications.md, "Email"). Two adapters,
 * both proven by {@code EmailStoreContract}: SQLite (a due-jobs table the server's poller reads,
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
     * The reminder pending for this user and conversation (null: the user's summary), if any: a
     * read, no write. A pending one whose time has passed is returned until it is claimed.
     */
    Optional<Reminder> pending(String userId, String conversationId);

    /**
     * The pending reminders due at {@code now} or before, earliest first, at most {@code limit}:
     * for a shape whose server polls (SQLite). Empty where the queue delivers them itself
     * (EventBridge Scheduler invokes the Lambda).
     */
    List<Reminder> due(Instant now, int limit);
}
