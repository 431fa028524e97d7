package chatapp.notification;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what notifications keep per user (docs/notifications.md, docs/data-model.md): the
 * user's {@link Preferences}, the Web Push subscriptions of their sessions, and which away
 * messages were shown. Adapters: {@code SqliteNotificationStore}, {@code DynamoNotificationStore};
 * rules in {@code NotificationStoreContract}.
 */
public interface NotificationStore {

    /** The user's stored preferences; empty if they never saved any ({@link Preferences#defaults()} apply). */
    Optional<Preferences> preferences(String userId);

    /** Stores the user's preferences, replacing what was there. */
    void savePreferences(String userId, Preferences preferences);

    /** Stores a subscription, replacing the one of the same session (one per session). */
    void savePushSubscription(PushSubscription subscription);

    /** Every subscription of {@code userId} (each of a session), by key (no scan). */
    List<PushSubscription> pushSubscriptions(String userId);

    /** Removes the subscription of one session; false if it had none. */
    boolean deletePushSubscription(String userId, String sessionId);

    /**
     * Removes every subscription of {@code userId} with this endpoint (the push service answered
     * 404 or 410: the browser dropped it); false if there was none.
     */
    boolean deletePushEndpoint(String userId, String endpoint);

    /** Removes the user's preferences and subscriptions (account deletion). */
    void deleteUser(String userId);

    /**
     * Records that the away message of a conversation was shown for the away period ending at
     * {@code periodEnds}; true the first time, false after (once per conversation per period,
     * under concurrency). The record may be forgotten once {@code periodEnds} has passed.
     */
    boolean firstAwayNotice(String conversationId, Instant periodEnds, Instant now);
}
