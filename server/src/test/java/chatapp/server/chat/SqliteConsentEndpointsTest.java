package chatapp.server.chat;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ConsentEndpointsTest} on the one-machine shape (SQLite). */
class SqliteConsentEndpointsTest extends ConsentEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer(LIMIT);

    @Override
    RunningServer server() {
        return server;
    }
}
