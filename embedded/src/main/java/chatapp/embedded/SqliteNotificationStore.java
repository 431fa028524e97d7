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

/**
 * {@link NotificationStore} on SQLite: tables {@code notification_preferences},
 * {@code push_subscriptions} and {@code away_notices} (V17__notifications.sql).
 */
public final class SqliteNotificationStore implements NotificationStore {

    private final SqliteDatabase db;

    public SqliteNotificationStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Preferences> preferences(String userId) {
        // Read after every stored message (Notifications): a statement prepared once, not a JDBI query
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
        db.write(h -> h.createUpdate("insert into notification_preferences (user_id, preferences) values (?, ?)"
                        + " on conflict (user_id) do update set preferences = excluded.preferences")
                .bind(0, userId).bind(1, json).execute());
    }

    @Override
    public void savePushSubscription(PushSubscription s) {
        db.write(h -> h.createUpdate("insert or replace into push_subscriptions (user_id, session_id, endpoint, p256dh,"
                        + " auth, created_at) values (?, ?, ?, ?, ?, ?)")
                .bind(0, s.userId()).bind(1, s.sessionId()).bind(2, s.endpoint()).bind(3, s.p256dh())
                .bind(4, s.auth()).bind(5, s.createdAt().toEpochMilli()).execute());
    }

    @Override
    public List<PushSubscription> pushSubscriptions(String userId) {
        // Read after every stored message whose recipient is offline: prepared once (as preferences)
        return db.query(PUSH_SUBSCRIPTIONS, p -> {
            p.setString(1, userId);
            List<PushSubscription> all = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    all.add(new PushSubscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return all;
        });
    }

    private static final String PUSH_SUBSCRIPTIONS = "select user_id, session_id, endpoint, p256dh, auth, created_at"
            + " from push_subscriptions where user_id = ? order by session_id";

    @Override
    public boolean deletePushSubscription(String userId, String sessionId) {
        return db.write(h -> h.createUpdate("delete from push_subscriptions where user_id = ? and session_id = ?")
                .bind(0, userId).bind(1, sessionId).execute()) > 0;
    }

    @Override
    public boolean deletePushEndpoint(String userId, String endpoint) {
        return db.write(h -> h.createUpdate("delete from push_subscriptions where user_id = ? and endpoint = ?")
                .bind(0, userId).bind(1, endpoint).execute()) > 0;
    }

    @Override
    public void deleteUser(String userId) {
        db.write(h -> {
            h.createUpdate("delete from push_subscriptions where user_id = ?").bind(0, userId).execute();
            return h.createUpdate("delete from notification_preferences where user_id = ?").bind(0, userId).execute();
        });
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
}
