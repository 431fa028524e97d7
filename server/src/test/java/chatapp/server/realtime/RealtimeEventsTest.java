package chatapp.server.realtime;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RealtimeEventsContract} on the built-in gateway (one machine, SQLite). */
class RealtimeEventsTest extends RealtimeEventsContract {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }
}
