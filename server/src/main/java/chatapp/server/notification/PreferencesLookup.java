package chatapp.server.notification;

import chatapp.notification.NotificationStore;
import chatapp.notification.Preferences;
import java.util.function.Function;

/**
 * Where email reads each user's {@link Preferences} (the {@link NotificationStore}, defaults for a
 * user who never saved any), and where one-click unsubscribe turns their email off.
 */
final class PreferencesLookup implements Function<String, Preferences> {

    private final NotificationStore store;

    PreferencesLookup(NotificationStore store) {
        this.store = store;
    }

    @Override
    public Preferences apply(String userId) {
        return store.preferences(userId).orElseGet(Preferences::defaults);
    }

    /** Turns unread-message emails off for the user (one-click unsubscribe, RFC 8058), keeping the rest. */
    void emailOff(String userId) {
        store.savePreferences(userId, apply(userId).withEmail(false));
    }
}
