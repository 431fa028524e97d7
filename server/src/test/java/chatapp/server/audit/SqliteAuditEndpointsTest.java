package chatapp.server.audit;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuditEndpointsTest} on the one-machine shape (SQLite). */
class SqliteAuditEndpointsTest extends AuditEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    RunningServer server() {
        return server;
    }
}
