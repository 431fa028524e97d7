package chatapp.server.safety;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PeerBoundariesTest} on the one-machine shape (SQLite). */
class SqlitePeerBoundariesTest extends PeerBoundariesTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
