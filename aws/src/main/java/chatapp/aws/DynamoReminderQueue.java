package chatapp.aws;

import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link ReminderQueue} on DynamoDB: one pending item per key in the auth table
 * ({@code reminder#<key>}), put on condition that none is pending and deleted on condition of
 * its due time, so a reminder delivered twice is claimed once. Its time is kept by AWS, not by a
 * timer in any server: each newly queued reminder is handed to {@code atItsTime} (EventBridge
 * Scheduler's one-time schedule invoking the reminder Lambda; docs/notifications.md). Nothing is
 * polled, so {@link #due} is empty.
 */
public final class DynamoReminderQueue implements ReminderQueue {

    private final AuthItems auth;
    private final Consumer<Reminder> atItsTime;

    /** @param atItsTime arranges for the reminder to be run at its time (told once per queued reminder) */
    public DynamoReminderQueue(DynamoDbClient dynamo, DynamoSettings settings, Consumer<Reminder> atItsTime) {
        this.auth = new AuthItems(dynamo, settings);
        this.atItsTime = atItsTime;
    }

    @Override
    public boolean schedule(Reminder reminder) {
        if (!auth.putReminder(reminder)) {
            return false;
        }
        try {
            atItsTime.accept(reminder);
        } catch (RuntimeException e) {
            auth.takeReminder(reminder); // no schedule, no pending item: the next message queues again
            throw e;
        }
        return true;
    }

    @Override
    public boolean claim(Reminder reminder) {
        return auth.takeReminder(reminder);
    }

    @Override
    public Optional<Reminder> pending(String userId, String conversationId) {
        return auth.pendingReminder(userId, conversationId);
    }

    @Override
    public List<Reminder> due(Instant now, int limit) {
        return List.of();
    }
}
