package chatapp.server.notification;

import chatapp.server.RunningServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notifications over REST on the one-machine shape: VAPID keys generated into the data directory. */
class SqlitePushEndpointsTest extends PushEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.push.allow-http-endpoints=true",
            "--chatapp.push.allow-private-endpoints=true");

    @Override
    RunningServer server() {
        return server;
    }

    @org.junit.jupiter.api.Test
    void theGeneratedKeyFileIsTheOwnersOnly() throws java.io.IOException {
        var file = server.dataDir().toAbsolutePath().normalize().resolve(chatapp.notification.VapidKeyPair.FILE);
        org.assertj.core.api.Assertions.assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
