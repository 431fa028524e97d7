package chatapp.server.notification;

import chatapp.notification.Preferences;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where email reads each user's {@link Preferences}, and where one-click unsubscribe turns their
 * email off.
 *
 * <p>TEMPORARY — FOR THE LEAD TO REPLACE AT MERGE: the preferences are stored and served by the
 * push work (issue 20, "Preferences"). Until that branch is merged this answers
 * {@link Preferences#defaults()} for everyone, and an unsubscribe is remembered in this process
 * only. At merge: {@link #apply} reads the preferences store; {@link #emailOff} writes
 * {@code email=false} to it. Nothing else in email needs to change.
 */
final class PreferencesLookup implements Function<String, Preferences> {

    private final Set<String> unsubscribed = ConcurrentHashMap.newKeySet();

    @Override
    public Preferences apply(String userId) {
        Preferences p = Preferences.defaults();
        if (!unsubscribed.contains(userId)) {
            return p;
        }
        return new Preferences(p.push(), p.pushShowsSender(), false, p.emailDelay(), p.timeZone(), p.quietFrom(),
                p.quietUntil(), p.awayMessage(), p.hoursFrom(), p.hoursUntil(), p.workDays());
    }

    /** Turns unread-message emails off for the user (one-click unsubscribe, RFC 8058). */
    void emailOff(String userId) {
        unsubscribed.add(userId);
    }
}
