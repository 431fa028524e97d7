package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.ChatStoreContract;
import chatapp.chat.Message;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    /**
     * Both inserts of a message take their columns from one list: every column of {@code chats}
     * is in it, or is one a message gets later. A column added by a migration fails here until it
     * is put in one or the other.
     */
    @Test
    void everyColumnOfTheMessagesTableIsStoredOrWrittenLater() {
        List<String> table = sqlite.database().read(h -> h.createQuery("select name from pragma_table_info('chats')")
                .mapTo(String.class).list());
        List<String> stored = SqliteChatStore.storedColumns();
        assertThat(stored).doesNotHaveDuplicates().doesNotContainAnyElementsOf(SqliteChatStore.WRITTEN_LATER);
        assertThat(table).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(stored.stream(), SqliteChatStore.WRITTEN_LATER.stream()).toList());
    }
}
