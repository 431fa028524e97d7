package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.FrameHandlerContract;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What each client frame means, through the chat service on a real SQLite file. */
class SqliteFrameHandlerTest extends FrameHandlerContract {

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
    protected boolean queuesWrites() {
        return true;
    }

    @Override
    protected ConnectionStore connectionStore() {
        return new SqliteConnectionStore(sqlite.database(), Clock.systemUTC());
    }
}
