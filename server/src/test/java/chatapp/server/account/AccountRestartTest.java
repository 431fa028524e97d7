package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts, keys and rate limits survive a restart of the one-machine shape on the same data directory. */
class AccountRestartTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void anAccountRegisteredBeforeARestartLogsInAfterItAndItsTokensStillWork() throws Exception {
        TestAccounts.Session before = TestAccounts.register(server, UserType.THERAPIST);
        var keyFile = server.dataDir().resolve("signing-key");
        String key = Files.readString(keyFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        server.stop();
        server.start();

        assertThat(Files.readString(keyFile)).as("the generated key is kept").isEqualTo(key);
        assertThat(server.get("/api/v1/users/me", before.accessToken()).statusCode()).isEqualTo(200);
        TestAccounts.Session after = TestAccounts.login(server, before);
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(ResponseLog.send(server, "POST", "/api/v1/auth/refresh",
                "{\"refreshToken\":\"" + before.refreshToken() + "\"}", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theFailedLoginLimitOfAnAccountHoldsAcrossARestart() {
        TestAccounts.Session victim = TestAccounts.register(server, UserType.PARENT);
        for (int i = 0; i < 5; i++) {
            assertThat(SqliteRateLimitTest.login(server, victim.email(), "Wrong-Guess-" + i + "-xyz").statusCode())
                    .isEqualTo(401);
        }
        assertThat(SqliteRateLimitTest.login(server, victim.email(), victim.password()).statusCode()).isEqualTo(429);

        server.stop();
        server.start();

        var afterRestart = SqliteRateLimitTest.login(server, victim.email(), victim.password());
        assertThat(afterRestart.statusCode()).isEqualTo(429);
        assertThat(afterRestart.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 900L));
    }
}
