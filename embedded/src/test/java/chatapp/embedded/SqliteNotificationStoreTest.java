package chatapp.embedded;

import chatapp.notification.NotificationStore;
import chatapp.notification.NotificationStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notification preferences, push subscriptions and away notices on a real SQLite file. */
class SqliteNotificationStoreTest extends NotificationStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected NotificationStore store() {
        return new SqliteNotificationStore(sqlite.database());
    }
}
