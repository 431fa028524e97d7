package chatapp.server.account;

import chatapp.account.Emails;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiter.Limit;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Brute-force limits on sign-in and sign-up (issue 12), with core's {@link RateLimiter} over the
 * store's buckets (SQLite on one machine, DynamoDB shared by every AWS node):
 * <ul>
 *   <li>an account (by normalised email, known or not, so the answer does not tell which) may
 *       fail {@code loginFailures} logins per {@code loginFailureWindow} (5 per 15 minutes);
 *       then every login for it is 429 until the window refills;</li>
 *   <li>a client IP may try {@code loginsPerIp} logins and {@code registrationsPerIp} sign-ups
 *       per {@code ipWindow}.</li>
 * </ul>
 * A refusal is 429 {@code rate_limited} with {@code Retry-After} (seconds).
 */
final class AuthLimits {

    private final RateLimiter limiter;
    private final Limit accountFailures;
    private final Limit ipLogins;
    private final Limit ipRegistrations;

    AuthLimits(RateLimiter limiter, Settings settings) {
        this.limiter = limiter;
        this.accountFailures = Limit.perPeriod("login-failures", settings.loginFailures(),
                settings.loginFailureWindow(), "too many failed logins for this account");
        this.ipLogins = Limit.perPeriod("login-ip", settings.loginsPerIp(), settings.ipWindow(),
                "too many logins from this address");
        this.ipRegistrations = Limit.perPeriod("register-ip", settings.registrationsPerIp(), settings.ipWindow(),
                "too many sign-ups from this address");
    }

    /**
     * Before a login: counts it against the IP and refuses it if the IP or the account is over
     * its limit.
     */
    void beforeLogin(String ip, String email) {
        limiter.take(ip, ipLogins);
        limiter.check(accountKey(email), accountFailures);
    }

    /** After a failed login: counts the failure against the account. */
    void loginFailed(String email) {
        limiter.tryTake(accountKey(email), accountFailures);
    }

    /** Before a sign-up: counts it against the IP, refusing it over the limit. */
    void beforeRegistration(String ip) {
        limiter.take(ip, ipRegistrations);
    }

    private static String accountKey(String email) {
        String normalised = Emails.normalise(email);
        return normalised == null ? "" : normalised;
    }

    /**
     * The limits ({@code chatapp.limits.*}, e.g. {@code CHATAPP_LIMITS_LOGIN_FAILURES}). The IP
     * limits are generous because a clinic's users may share one address.
     */
    @ConfigurationProperties("chatapp.limits")
    record Settings(
            @DefaultValue("5") int loginFailures,
            @DefaultValue("15m") Duration loginFailureWindow,
            @DefaultValue("100") int loginsPerIp,
            @DefaultValue("100") int registrationsPerIp,
            @DefaultValue("10m") Duration ipWindow) {
    }
}
