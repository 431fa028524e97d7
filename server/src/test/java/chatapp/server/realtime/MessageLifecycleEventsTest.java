package chatapp.server.realtime;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MessageLifecycleEventsContract} on the built-in gateway (one machine, SQLite). */
class MessageLifecycleEventsTest extends MessageLifecycleEventsContract {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Override
    protected RunningServer server() {
        return server;
    }
}
