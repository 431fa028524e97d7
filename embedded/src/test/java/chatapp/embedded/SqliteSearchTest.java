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

    /**
     * The texts of a commit group enter the index at its end (V20): sends, an edit and a deletion
     * of a text sent in the same group, and a write that fails after its insert, all in one group.
     */
    @Test
    void theTextsOfOneGroupAreIndexedWithItsCommit() throws Exception {
        SqliteDatabase db = sqlite.database();
        ChatStore store = store();
        java.time.Instant t = java.time.Instant.parse("2026-01-02T00:00:00Z");
        store.createConversation("search-group-1", "user-a", "user-b", t);
        List<Integer> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        db.observeCommits(g -> groups.add(g.writes()));
        try {
            // The writer waits inside the first write while the others queue behind it: they make the next group.
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Object> blocker = new java.util.concurrent.CompletableFuture<>();
            db.writeAsync(h -> {
                held.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            }, blocker);
            held.await();
            List<java.util.concurrent.CompletableFuture<?>> writes = new java.util.ArrayList<>();
            writes.add(send(store, "g-1", "alpha words", t.plusSeconds(1)));
            writes.add(update(db, "update chats set content_value = 'beta words' where client_message_id = 'g-1'"));
            writes.add(send(store, "g-2", "gamma words", t.plusSeconds(2)));
            writes.add(send(store, "g-3", "delta words", t.plusSeconds(3)));
            writes.add(update(db, "delete from chats where client_message_id = 'g-3'"));
            writes.add(send(store, "g-4", "epsilon words", t.plusSeconds(4)));
            writes.add(update(db, "update chats set content_type = 'deleted', content_value = '' where client_message_id = 'g-4'"));
            java.util.concurrent.CompletableFuture<Object> failed = new java.util.concurrent.CompletableFuture<>();
            db.writeAsync(h -> {
                h.execute("insert into chats (conversation_id, message_id, sender_id, recipient_id, created_at,"
                        + " content_type, content_value, client_message_id) values ('search-group-1',"
                        + " '000000000099-zzzzzzzz', 'user-a', 'user-b', 1, 'text', 'zeta words', 'g-5')");
                throw new IllegalStateException("this write fails after its insert");
            }, failed);
            writes.add(send(store, "g-6", "eta words", t.plusSeconds(6)));
            hold.countDown();
            blocker.join();
            java.util.concurrent.CompletableFuture.allOf(writes.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
            assertThat(failed).isCompletedExceptionally();
            // (the writer tells its observer after it hands the group's results on: wait for it)
            long until = System.nanoTime() + 5_000_000_000L;
            while (!groups.contains(writes.size() + 1) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(groups).as("the writes after the first made one group").contains(writes.size() + 1);
        } finally {
            db.observeCommits(null);
        }
        assertThat(found(store, "user-b", "search-group-1", "alpha")).isEmpty();
        assertThat(found(store, "user-b", "search-group-1", "beta")).hasSize(1);
        assertThat(found(store, "user-b", "search-group-1", "gamma")).hasSize(1);
        assertThat(found(store, "user-b", null, "delta")).isEmpty();
        assertThat(found(store, "user-b", null, "epsilon")).isEmpty();
        assertThat(found(store, "user-b", null, "zeta")).isEmpty();
        assertThat(found(store, "user-a", null, "eta")).hasSize(1);
        assertThat(found(store, "user-a", null, "words")).hasSize(3);
        int indexed = db.read(h -> h.createQuery("select count(*) from chats_search"
                + " where chats_search match 'alpha OR delta OR epsilon OR zeta'").mapTo(Integer.class).one());
        assertThat(indexed).isZero();
        int pending = db.read(h -> h.createQuery("select count(*) from chats_search_pending").mapTo(Integer.class).one());
        assertThat(pending).as("nothing waits for the index outside a write").isZero();
        db.write(h -> h.execute("insert into chats_search (chats_search) values ('integrity-check')"));
    }

    private static java.util.concurrent.CompletableFuture<chatapp.chat.Sent> send(ChatStore store, String clientMessageId,
            String text, java.time.Instant at) {
        java.util.concurrent.CompletableFuture<chatapp.chat.Sent> sent = new java.util.concurrent.CompletableFuture<>();
        store.sendAsync(new chatapp.chat.NewMessage("search-group-1", "user-a", "user-b", clientMessageId, at,
                chatapp.chat.Content.text(text), null, false), sent);
        return sent;
    }

    private static java.util.concurrent.CompletableFuture<Object> update(SqliteDatabase db, String sql) {
        java.util.concurrent.CompletableFuture<Object> done = new java.util.concurrent.CompletableFuture<>();
        db.writeAsync(h -> h.execute(sql), done);
        return done;
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
