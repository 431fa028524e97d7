package chatapp.embedded;

import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ReminderQueue} on SQLite: table {@code reminders}, one row per pending key. Scheduling
 * is an {@code insert ... on conflict do nothing}; claiming is one {@code delete} on the single
 * writer on condition of the same key and due time, so exactly one claimer gets it. The server's
 * poller reads {@link #due} through the index on {@code due_at}; rows survive a restart.
 */
public final class SqliteReminderQueue implements ReminderQueue {

    private final SqliteDatabase db;

    public SqliteReminderQueue(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean schedule(Reminder r) {
        return db.write(h -> h.execute("insert into reminders (reminder_key, user_id, conversation_id, due_at) "
                + "values (?, ?, ?, ?) on conflict (reminder_key) do nothing",
                r.key(), r.userId(), r.conversationId(), r.dueAt().toEpochMilli())) == 1;
    }

    @Override
    public boolean claim(Reminder r) {
        return db.write(h -> h.execute("delete from reminders where reminder_key = ? and due_at = ?",
                r.key(), r.dueAt().toEpochMilli())) == 1;
    }

    @Override
    public Optional<Reminder> pending(String userId, String conversationId) {
        return db.read(h -> h.createQuery("select due_at from reminders where reminder_key = ?")
                .bind(0, Reminder.key(userId, conversationId))
                .mapTo(Long.class)
                .findOne()
                .map(due -> new Reminder(userId, conversationId, Instant.ofEpochMilli(due))));
    }

    @Override
    public List<Reminder> due(Instant now, int limit) {
        return db.read(h -> h.createQuery("select user_id, conversation_id, due_at from reminders where due_at <= ? "
                        + "order by due_at limit ?")
                .bind(0, now.toEpochMilli()).bind(1, limit)
                .map((rs, ctx) -> new Reminder(rs.getString("user_id"), rs.getString("conversation_id"),
                        Instant.ofEpochMilli(rs.getLong("due_at"))))
                .list());
    }
}
