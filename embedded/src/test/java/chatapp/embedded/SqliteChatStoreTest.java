package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.ChatStoreContract;
import chatapp.chat.Message;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat contract on a real SQLite file through the single writer. */
class SqliteChatStoreTest extends ChatStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    private SqliteChatStore store;

    @Override
    protected ChatStore store() {
        if (store == null) {
            store = new SqliteChatStore(sqlite.database());
        }
        return store;
    }

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }

    @Override
    protected void importMessages(List<Message> messages) {
        store.importMessages(messages);
    }
}
