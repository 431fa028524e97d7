package chatapp.server.account;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The user's own data on the one-machine shape (SQLite, media and archives on disk). */
class SqliteUserDataEndpointsTest extends UserDataEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
