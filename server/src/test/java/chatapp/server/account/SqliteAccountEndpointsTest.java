package chatapp.server.account;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account endpoints on the one-machine shape (SQLite). */
class SqliteAccountEndpointsTest extends AccountEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
