package chatapp.server.notification;

import chatapp.server.RunningServer;
import com.icegreen.greenmail.util.GreenMail;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.notification.Reminder;
import chatapp.notification.ReminderQueue;
import chatapp.notification.UnreadReminders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email on the one-machine shape (SQLite). */
class SqliteEmailEndpointsTest extends EmailEndpointsTest {

    static final GreenMail mail = startMail();

    @RegisterExtension
    static final RunningServer server = new RunningServer(emailArgs(mail));

    @AfterAll
    static void stopMail() {
        mail.stop();
    }

    @Test
    void aPendingReminderSurvivesARestartOfTheServer() throws Exception {
        String[] therapist = verifiedAccount("therapist");
        String[] parent = verifiedAccount("parent");
        String conversationId = JSON.readTree(post("/api/v1/conversations", "{\"peerId\":\"" + therapist[2] + "\"}",
                parent[1]).body()).get("conversationId").asString();
        assertThat(send(parent[1], conversationId, "before the restart").statusCode()).isEqualTo(201);

        server.stop();
        server.start();

        List<Reminder> due = server.context().getBean(ReminderQueue.class)
                .due(Instant.now().plus(Duration.ofMinutes(16)), 1000).stream()
                .filter(r -> r.userId().equals(therapist[2])).toList();
        assertThat(due).hasSize(1);
        assertThat(server.context().getBean(UnreadReminders.class).run(due.getFirst()))
                .isEqualTo(UnreadReminders.Outcome.SENT);
        assertThat(next(therapist[0]).getSubject()).startsWith("You have a new message from");
    }

    @Override
    RunningServer server() {
        return server;
    }

    @Override
    java.util.Optional<Reminder> pending(String userId, String conversationId) {
        return server.context().getBean(ReminderQueue.class).due(Instant.now().plus(Duration.ofDays(2)), 10_000)
                .stream().filter(r -> r.userId().equals(userId) && conversationId.equals(r.conversationId()))
                .findFirst();
    }

    @Override
    GreenMail mail() {
        return mail;
    }
}
