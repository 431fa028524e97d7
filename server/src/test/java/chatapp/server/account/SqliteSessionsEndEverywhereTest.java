package chatapp.server.account;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions end everywhere on the one-machine shape (SQLite, built-in gateway). */
class SqliteSessionsEndEverywhereTest extends SessionsEndEverywhereTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
