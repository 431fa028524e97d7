package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-IP limits on sign-up and login (one-machine shape, lowered limits). */
class SqliteRateLimitTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.limits.registrations-per-ip=3",
            "--chatapp.limits.logins-per-ip=4", "--chatapp.limits.ip-window=10m");

    static HttpResponse<String> login(RunningServer server, String email, String password) {
        return ResponseLog.send(server, "POST", "/api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    @Test
    void signUpsAndLoginsFromOneAddressAreLimitedWith429AndRetryAfter() {
        TestAccounts.Session first = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.register(server, UserType.PARENT);
        TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> fourth = ResponseLog.send(server, "POST", "/api/v1/auth/register",
                AccountEndpointsTest.registration("fourth-one", "fourth@example.org", TestAccounts.PASSWORD, "parent", null), null);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.body()).contains("\"code\":\"rate_limited\"");
        assertThat(fourth.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 600L));

        for (int i = 0; i < 4; i++) {
            assertThat(login(server, first.email(), first.password()).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> fifth = login(server, first.email(), first.password());
        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(fifth.headers().firstValue("Retry-After")).isPresent();
    }
}
