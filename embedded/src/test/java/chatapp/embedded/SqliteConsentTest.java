package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConsentContract;
import chatapp.core.RateLimitStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Contact by consent on a real SQLite file; and V10's migration of existing conversations. */
class SqliteConsentTest extends ConsentContract {

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

    @Override
    protected RateLimitStore rateLimits() {
        return new SqliteRateLimitStore(sqlite.database());
    }

    @Test
    void conversationsOfADatabaseFromBeforeConsentAreAcceptedAfterTheMigration() throws Exception {
        Path dir = Files.createTempDirectory("chatapp-consent-migration");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String url = "jdbc:sqlite:" + data.resolve("chatapp.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                .target("8").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("insert into conversations (user_id, conversation_id, peer_id, unread_count, updated_at)"
                    + " values ('parent-1', 'conversation-1', 'therapist-1', 0, 1000),"
                    + " ('therapist-1', 'conversation-1', 'parent-1', 0, 1000)");
        }
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            SqliteChatStore store = new SqliteChatStore(db);
            assertThat(store.inboxEntry("parent-1", "conversation-1").orElseThrow().consent())
                    .isEqualTo(Consent.ACCEPTED);
            assertThat(store.contacts("therapist-1"))
                    .containsExactly(new ChatStore.Contact("parent-1", Consent.ACCEPTED));
            assertThat(store.inbox("therapist-1", ChatStore.Folder.INBOX, 10, null).items()).hasSize(1);
        }
    }
}
