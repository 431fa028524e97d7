package chatapp.embedded;

import chatapp.notification.NotificationStore;
import chatapp.notification.Preferences;
import chatapp.notification.PreferencesDocument;
import chatapp.notification.PushSubscription;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link NotificationStore} on SQLite: tables {@code notification_preferences},
 * {@code push_subscriptions} and {@code away_notices} (V17__notifications.sql).
 *
 * <p>Preferences and subscriptions are read after every stored message (the notification rules)
 * and change seldom, so the stores of one database remember what they read ({@link Remembered}).
 * Only this class writes those tables, and only this process opens the database (its lock), so
 * what is remembered is forgotten at each change and never outlives it.
 */
public final class SqliteNotificationStore implements NotificationStore {

    private final SqliteDatabase db;
    private final Remembered remembered;

    public SqliteNotificationStore(SqliteDatabase db) {
        this.db = db;
        this.remembered = db.shared(Remembered.class, Remembered::new);
    }

    @Override
    public Optional<Preferences> preferences(String userId) {
        return remembered.get(remembered.preferences, userId, () -> readPreferences(userId));
    }

    private Optional<Preferences> readPreferences(String userId) {
        // a statement prepared once, not a JDBI query
        return db.query(PREFERENCES, p -> {
            p.setString(1, userId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
        }).map(PreferencesDocument::fromJson);
    }

    private static final String PREFERENCES = "select preferences from notification_preferences where user_id = ?";

    @Override
    public void savePreferences(String userId, Preferences preferences) {
        String json = PreferencesDocument.of(preferences).toJson();
        try {
            db.write(h -> h.createUpdate("insert into notification_preferences (user_id, preferences) values (?, ?)"
                            + " on conflict (user_id) do update set preferences = excluded.preferences")
                    .bind(0, userId).bind(1, json).execute());
        } finally {
            remembered.changed(userId);
        }
    }

    @Override
    public void savePushSubscription(PushSubscription s) {
        try {
            db.write(h -> h.createUpdate("insert or replace into push_subscriptions (user_id, session_id, endpoint, p256dh,"
                            + " auth, created_at) values (?, ?, ?, ?, ?, ?)")
                    .bind(0, s.userId()).bind(1, s.sessionId()).bind(2, s.endpoint()).bind(3, s.p256dh())
                    .bind(4, s.auth()).bind(5, s.createdAt().toEpochMilli()).execute());
        } finally {
            remembered.changed(s.userId());
        }
    }

    @Override
    public List<PushSubscription> pushSubscriptions(String userId) {
        return remembered.get(remembered.subscriptions, userId, () -> readPushSubscriptions(userId));
    }

    private List<PushSubscription> readPushSubscriptions(String userId) {
        // prepared once (as preferences)
        return db.query(PUSH_SUBSCRIPTIONS, p -> {
            p.setString(1, userId);
            List<PushSubscription> all = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    all.add(new PushSubscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return List.copyOf(all);
        });
    }

    private static final String PUSH_SUBSCRIPTIONS = "select user_id, session_id, endpoint, p256dh, auth, created_at"
            + " from push_subscriptions where user_id = ? order by session_id";

    @Override
    public boolean deletePushSubscription(String userId, String sessionId) {
        try {
            return db.write(h -> h.createUpdate("delete from push_subscriptions where user_id = ? and session_id = ?")
                    .bind(0, userId).bind(1, sessionId).execute()) > 0;
        } finally {
            remembered.changed(userId);
        }
    }

    @Override
    public boolean deletePushEndpoint(String userId, String endpoint) {
        try {
            return db.write(h -> h.createUpdate("delete from push_subscriptions where user_id = ? and endpoint = ?")
                    .bind(0, userId).bind(1, endpoint).execute()) > 0;
        } finally {
            remembered.changed(userId);
        }
    }

    @Override
    public void deleteUser(String userId) {
        try {
            db.write(h -> {
                h.createUpdate("delete from push_subscriptions where user_id = ?").bind(0, userId).execute();
                return h.createUpdate("delete from notification_preferences where user_id = ?").bind(0, userId).execute();
            });
        } finally {
            remembered.changed(userId);
        }
    }

    @Override
    public boolean firstAwayNotice(String conversationId, Instant periodEnds, Instant now) {
        return db.write(h -> {
            // Periods that are over are forgotten as writes go by.
            h.createUpdate("delete from away_notices where period_ends < ?").bind(0, now.toEpochMilli()).execute();
            return h.createUpdate("insert or ignore into away_notices (conversation_id, period_ends) values (?, ?)")
                    .bind(0, conversationId).bind(1, periodEnds.toEpochMilli()).execute();
        }) > 0;
    }

    /**
     * The preferences and subscriptions read lately, per user, shared by the stores of one database
     * (docs/decisions/0072-websocket-message-cpu-2.md): the two reads of every stored message's
     * notification rules. A change forgets the user's entries once it is committed; a read that
     * overlapped any change is not remembered (it may have seen the state before), so no reader
     * is answered from before a change that had returned. At most {@link #USERS} users each.
     */
    static final class Remembered {

        static final int USERS = 10_000;

        final ConcurrentHashMap<String, Optional<Preferences>> preferences = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, List<PushSubscription>> subscriptions = new ConcurrentHashMap<>();
        /** Counts the changes: a read remembers its answer only if none happened while it ran. */
        private final AtomicLong changes = new AtomicLong();

        <T> T get(ConcurrentHashMap<String, T> remembered, String userId, Supplier<T> read) {
            T known = remembered.get(userId);
            if (known != null) {
                return known;
            }
            long before = changes.get();
            T answer = read.get();
            if (remembered.size() >= USERS) {
                remembered.clear(); // only costs reads
            }
            // Atomic with changed()'s removal of this key: either this entry lands first and is
            // removed by it, or the change is counted first and nothing lands.
            remembered.compute(userId, (k, now) -> changes.get() == before ? answer : now);
            return answer;
        }

        void changed(String userId) {
            changes.incrementAndGet();
            preferences.remove(userId);
            subscriptions.remove(userId);
        }
    }
}
