package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.SearchContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Search on a real SQLite file: FTS5 (V15). */
class SqliteSearchTest extends SearchContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected ChatStore store() {
        return new SqliteChatStore(sqlite.database());
    }

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }
}
