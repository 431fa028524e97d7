package chatapp.server.limits;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccountLimitsTest} on the one-machine shape (buckets in SQLite). */
class SqliteAccountLimitsTest extends AccountLimitsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer(LOWERED);

    @Override
    RunningServer server() {
        return server;
    }
}
