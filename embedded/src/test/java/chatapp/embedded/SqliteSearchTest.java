package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.Message;
import chatapp.chat.SearchContract;
import chatapp.chat.SearchQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search on a real SQLite file: FTS5 (V15); the triggers follow every change of a message's text
 * (an edit, a delete for everyone), and the migration indexes the messages stored before it.
 */
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

    private static List<String> found(ChatStore store, String userId, String conversationId, String q) {
        return store.search(userId, conversationId, SearchQuery.parse(q), 50, null).items().stream()
                .map(Message::messageId).toList();
    }

    @Test
    void theIndexFollowsEditsAndDeletesOfTheText() {
        SqliteDatabase db = sqlite.database();
        ChatStore store = store();
        store.createConversation("search-edit-1", "user-a", "user-b", java.time.Instant.parse("2026-01-01T00:00:00Z"));
        String id = store.send(new chatapp.chat.NewMessage("search-edit-1", "user-a", "user-b", "c-1",
                java.time.Instant.parse("2026-01-01T00:00:01Z"), chatapp.chat.Content.text("see you at noon"),
                null, false)).message().messageId();
        assertThat(found(store, "user-b", "search-edit-1", "noon")).containsExactly(id);

        // An edit (lifecycle: an UPDATE of the text): the old words leave, the new ones enter.
        db.write(h -> h.execute("update chats set content_value = 'see you at four' where message_id = ?", id));
        assertThat(found(store, "user-b", "search-edit-1", "noon")).isEmpty();
        assertThat(found(store, "user-b", null, "four")).containsExactly(id);
        // A change of anything else leaves the index as it is.
        db.write(h -> h.execute("update chats set read_at = 5 where message_id = ?", id));
        assertThat(found(store, "user-b", null, "four")).containsExactly(id);
        // Deleted for everyone, whether the text is cleared or the type changes.
        db.write(h -> h.execute("update chats set content_value = '' where message_id = ?", id));
        assertThat(found(store, "user-a", null, "four")).isEmpty();
        db.write(h -> h.execute("update chats set content_value = 'see you at five' where message_id = ?", id));
        assertThat(found(store, "user-a", null, "five")).containsExactly(id);
        db.write(h -> h.execute("update chats set content_type = 'deleted' where message_id = ?", id));
        assertThat(found(store, "user-a", null, "five")).isEmpty();
        int indexed = db.read(h -> h.createQuery("select count(*) from chats_search where chats_search match 'five'")
                .mapTo(Integer.class).one());
        assertThat(indexed).isZero();
    }

    @Test
    void messagesStoredBeforeTheMigrationAreFound() throws Exception {
        Path dir = Files.createTempDirectory("chatapp-search-migration");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String url = "jdbc:sqlite:" + data.resolve("chatapp.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                .target("13").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("insert into conversations (user_id, conversation_id, peer_id, unread_count, updated_at)"
                    + " values ('parent-1', 'conversation-1', 'therapist-1', 0, 2000),"
                    + " ('therapist-1', 'conversation-1', 'parent-1', 0, 2000)");
            s.executeUpdate("insert into chats (conversation_id, message_id, sender_id, recipient_id, created_at,"
                    + " content_type, content_value, client_message_id) values"
                    + " ('conversation-1', '000000000001-aaaaaaaa', 'parent-1', 'therapist-1', 1000, 'text',"
                    + " 'Über die Übungen', 'c-1'),"
                    + " ('conversation-1', '000000000002-bbbbbbbb', 'therapist-1', 'parent-1', 2000, 'image',"
                    + " 'ubungen-photo-id', 'c-2')");
        }
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            SqliteChatStore store = new SqliteChatStore(db);
            assertThat(found(store, "therapist-1", null, "ubungen")).containsExactly("000000000001-aaaaaaaa");
            assertThat(found(store, "parent-1", "conversation-1", "UBER")).containsExactly("000000000001-aaaaaaaa");
        }
    }
}
