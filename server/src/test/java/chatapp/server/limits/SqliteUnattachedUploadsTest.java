package chatapp.server.limits;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UnattachedUploadsTest} on the one-machine shape (SQLite, files on disk). */
class SqliteUnattachedUploadsTest extends UnattachedUploadsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer(AGE);

    @Override
    RunningServer server() {
        return server;
    }
}
