package chatapp.server.notification;

import chatapp.server.RunningServer;
import com.icegreen.greenmail.util.GreenMail;
import org.junit.jupiter.api.AfterAll;
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

    @Override
    RunningServer server() {
        return server;
    }

    @Override
    GreenMail mail() {
        return mail;
    }
}
