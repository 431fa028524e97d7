package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.notification.NotificationStore;
import chatapp.notification.NotificationStoreContract;
import chatapp.notification.Preferences;
import chatapp.notification.PushSubscription;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notification preferences, push subscriptions and away notices on a real SQLite file. */
class SqliteNotificationStoreTest extends NotificationStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected NotificationStore store() {
        return new SqliteNotificationStore(sqlite.database());
    }

    /** The stores of one database remember reads together: a change through one is read through every other. */
    @Test
    void whatOneStoreChangesEveryOtherStoreOfTheDatabaseReads() {
        NotificationStore reader = store();
        NotificationStore writer = store();
        assertThat(reader.preferences("user-r1")).isEmpty();
        assertThat(reader.pushSubscriptions("user-r1")).isEmpty();
        Preferences quiet = new Preferences(true, false, true, Preferences.defaults().emailDelay(),
                Preferences.defaults().timeZone(), null, null, null, null, null, Preferences.defaults().workDays());
        writer.savePreferences("user-r1", quiet);
        assertThat(reader.preferences("user-r1")).contains(quiet);
        PushSubscription s = subscription("user-r1", "session-1", "https://push.example/r1");
        writer.savePushSubscription(s);
        assertThat(reader.pushSubscriptions("user-r1")).extracting(PushSubscription::endpoint)
                .containsExactly("https://push.example/r1");
        writer.deletePushEndpoint("user-r1", "https://push.example/r1");
        assertThat(reader.pushSubscriptions("user-r1")).isEmpty();
        writer.savePushSubscription(s);
        assertThat(reader.pushSubscriptions("user-r1")).hasSize(1);
        writer.deletePushSubscription("user-r1", "session-1");
        assertThat(reader.pushSubscriptions("user-r1")).isEmpty();
        writer.savePushSubscription(s);
        assertThat(reader.pushSubscriptions("user-r1")).hasSize(1);
        writer.deleteUser("user-r1");
        assertThat(reader.preferences("user-r1")).isEmpty();
        assertThat(reader.pushSubscriptions("user-r1")).isEmpty();
    }

    private static PushSubscription subscription(String userId, String sessionId, String endpoint) {
        byte[] key = new byte[65];
        key[0] = 4;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return PushSubscription.of(userId, sessionId, endpoint, b64.encodeToString(key), b64.encodeToString(new byte[16]),
                Instant.parse("2026-03-02T10:00:00Z"), false, true);
    }
}
