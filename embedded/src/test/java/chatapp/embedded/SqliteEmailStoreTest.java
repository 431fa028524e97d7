package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.core.Ids;
import chatapp.notification.EmailStoreContract;
import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email's store rules on a real SQLite file; and the poller's view: due reminders, kept across a reopen. */
class SqliteEmailStoreTest extends EmailStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }

    @Override
    protected ReminderQueue reminders() {
        return new SqliteReminderQueue(sqlite.database());
    }

    private SqliteChatStore chats;

    @Override
    protected chatapp.chat.ChatStore chats() {
        if (chats == null) {
            chats = new SqliteChatStore(sqlite.database());
        }
        return chats;
    }

    @Test
    void dueRemindersComeEarliestFirstAndSurviveReopeningTheDatabase() throws Exception {
        Path data = Files.createTempDirectory("chatapp-reminders");
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        String user = Ids.random();
        Reminder late = new Reminder(user, "c-late", at.plusSeconds(60));
        Reminder early = new Reminder(user, "c-early", at);
        Reminder future = new Reminder(user, "c-future", at.plusSeconds(3600));
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            ReminderQueue q = new SqliteReminderQueue(db);
            q.schedule(late);
            q.schedule(early);
            q.schedule(future);
        }
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            ReminderQueue q = new SqliteReminderQueue(db);
            assertThat(q.due(at.plusSeconds(60), 10)).containsExactly(early, late);
            assertThat(q.due(at.plusSeconds(60), 1)).containsExactly(early);
            assertThat(q.claim(early)).isTrue();
            assertThat(q.due(at.plusSeconds(60), 10)).containsExactly(late);
        }
    }
}
