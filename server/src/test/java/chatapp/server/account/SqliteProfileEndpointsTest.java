package chatapp.server.account;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProfileEndpointsTest} on the one-machine shape (SQLite, media on disk). */
class SqliteProfileEndpointsTest extends ProfileEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
