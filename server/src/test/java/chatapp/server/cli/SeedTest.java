package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.RunningServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./chatapp seed} as an operator runs it: a child process, twice, then the accounts log in. */
class SeedTest {

    @TempDir
    Path tmp;

    @Test
    void seedCreatesTheDemoAccountsOnceAndTheyLogIn() throws Exception {
        Path data = tmp.resolve("data");
        CommandLineTest.Result first = CommandLineTest.chatapp(List.of("seed", "--chatapp.data-dir=" + data));
        assertThat(first.status()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("created therapist bob").contains("created parent    fatima")
                .contains("Harbor-Lantern-2026").contains("Saffron-Kite-2026");
        assertThat(first.stdout().lines().filter(l -> l.startsWith("created"))).hasSize(DemoAccounts.ALL.size());

        CommandLineTest.Result second = CommandLineTest.chatapp(List.of("seed", "--chatapp.data-dir=" + data));
        assertThat(second.status()).as(second.stderr()).isZero();
        assertThat(second.stdout().lines().filter(l -> l.startsWith("exists"))).hasSize(DemoAccounts.ALL.size());
        assertThat(second.stdout()).doesNotContain("Harbor-Lantern-2026");

        RunningServer server = new RunningServer().dataDir(data);
        server.start();
        try {
            for (DemoAccounts.Demo d : DemoAccounts.ALL) {
                var r = server.post("/api/v1/auth/login", "{\"email\":\"" + d.email() + "\",\"password\":\"" + d.password() + "\"}", null);
                assertThat(r.statusCode()).as(d.username()).isEqualTo(200);
            }
            var bob = server.post("/api/v1/auth/login", "{\"email\":\"bob@example.com\",\"password\":\"Harbor-Lantern-2026\"}", null);
            assertThat(bob.body()).contains("\"userType\":\"therapist\"").contains("\"specialization\":\"Speech and language therapy\"");
        } finally {
            server.stop();
        }
    }
}
