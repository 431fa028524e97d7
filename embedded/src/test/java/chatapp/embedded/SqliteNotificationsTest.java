package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.notification.NotificationStore;
import chatapp.notification.NotificationsContract;
import chatapp.realtime.ConnectionStore;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Web Push and away messages set off by stored messages, on a real SQLite file. */
class SqliteNotificationsTest extends NotificationsContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected ChatStore chatStore() {
        return new SqliteChatStore(sqlite.database());
    }

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }

    @Override
    protected ConnectionStore connectionStore() {
        return new SqliteConnectionStore(sqlite.database(), Clock.systemUTC());
    }

    @Override
    protected NotificationStore notificationStore() {
        return new SqliteNotificationStore(sqlite.database());
    }
}
