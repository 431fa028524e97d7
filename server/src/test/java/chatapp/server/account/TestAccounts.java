package chatapp.server.account;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accounts for REST and WebSocket tests of any feature: signs up real users through
 * {@code POST /api/v1/auth/register} on a {@link RunningServer} and hands back what a client
 * would keep. Every account gets a fresh username and email; the password is {@link #PASSWORD}.
 *
 * <pre>{@code
 * Session parent = TestAccounts.register(server, UserType.PARENT);
 * server.get("/api/v1/users/me", parent.accessToken());
 * }</pre>
 */
public final class TestAccounts {

    /** Every test account's password: meets the policy (12+ characters, not common). */
    public static final String PASSWORD = "Tidy-Lantern-Orbit-42";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    private TestAccounts() {
    }

    /** What a signed-in client holds. {@code email} is normalised (lower-case). */
    public record Session(String userId, String username, String email, String password, String accessToken,
            String refreshToken) {
    }

    /**
     * Signs up a new parent (2 children) or therapist ("Speech therapy") with a fresh name.
     *
     * @throws AssertionError if the server does not answer 201
     */
    public static Session register(RunningServer server, UserType type) {
        String username = (type == UserType.PARENT ? "parent" : "therapist") + "-" + RUN + "-" + COUNTER.incrementAndGet();
        return register(server, type, username);
    }

    /** Signs up a new account with this username (3-32 of {@code [A-Za-z0-9._-]}). */
    public static Session register(RunningServer server, UserType type, String username) {
        String email = username.toLowerCase() + "@example.org";
        String extra = type == UserType.PARENT ? "\"childrenCount\":2" : "\"specialization\":\"Speech therapy\"";
        String body = "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"userType\":\"" + type.wire() + "\"," + extra + "}";
        HttpResponse<String> r = ResponseLog.send(server, "POST", "/api/v1/auth/register", body, null);
        if (r.statusCode() != 201) {
            throw new AssertionError("register " + username + " answered " + r.statusCode() + ": " + r.body());
        }
        return session(r.body(), PASSWORD);
    }

    /**
     * Logs in again as {@code session}'s user: a new session with new tokens.
     *
     * @throws AssertionError if the server does not answer 200
     */
    public static Session login(RunningServer server, Session session) {
        HttpResponse<String> r = ResponseLog.send(server, "POST", "/api/v1/auth/login",
                "{\"email\":\"" + session.email() + "\",\"password\":\"" + session.password() + "\"}", null);
        if (r.statusCode() != 200) {
            throw new AssertionError("login " + session.email() + " answered " + r.statusCode() + ": " + r.body());
        }
        return session(r.body(), session.password());
    }

    /** The session in a register, login or refresh answer ({@code {user, accessToken, refreshToken, expiresIn}}). */
    public static Session session(String json, String password) {
        JsonNode root = JSON.readTree(json);
        JsonNode user = root.get("user");
        return new Session(user.get("userId").asString(), user.get("username").asString(), user.get("email").asString(),
                password, root.get("accessToken").asString(), root.get("refreshToken").asString());
    }
}
