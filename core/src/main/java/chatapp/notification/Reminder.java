package chatapp.notification;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An unread-message reminder waiting for its time (docs/notifications.md, "Email"): for a
 * conversation of a recipient, or (no conversation) the recipient's summary after quiet hours.
 *
 * @param conversationId null for a summary
 * @param dueAt when it runs; millisecond precision
 */
public record Reminder(String userId, String conversationId, Instant dueAt) {

    public Reminder {
        Objects.requireNonNull(userId);
        dueAt = dueAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** At most one reminder per key is pending: one per conversation of a recipient, one summary per recipient. */
    public String key() {
        return key(userId, conversationId);
    }

    /** The {@link #key} of a reminder for this user and conversation (null: the summary). */
    public static String key(String userId, String conversationId) {
        return conversationId == null ? userId + " summary" : userId + " " + conversationId;
    }
}
