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
 *       fail {@code loginFailures} logins from one client IP per {@code loginFailureWindow}
 *       (5 per 15 minutes); then logins for it from that address are 429 until the window
 *       refills. Other addresses are not affected, so an attacker elsewhere never locks the
 *       owner out (issue 19, OWASP Authentication Cheat Sheet);</li>
 *   <li>across all addresses, an account may fail {@code accountLoginFailures} logins at once,
 *       coming back steadily over {@code accountLoginFailureWindow} (100 per hour): guessing
 *       from many addresses is slowed to that rate, never locked;</li>
 *   <li>a client IP may try {@code loginsPerIp} logins and {@code registrationsPerIp} sign-ups
 *       per {@code ipWindow}.</li>
 * </ul>
 * A refusal is 429 {@code rate_limited} with {@code Retry-After} (seconds).
 */
final class AuthLimits {

    private final RateLimiter limiter;
    private final Limit addressFailures;
    private final Limit accountFailures;
    private final Limit ipLogins;
    private final Limit ipRegistrations;

    AuthLimits(RateLimiter limiter, Settings settings) {
        this.limiter = limiter;
        this.addressFailures = Limit.perPeriod("login-failures-ip", settings.loginFailures(),
                settings.loginFailureWindow(), "too many failed logins for this account from this address");
        this.accountFailures = Limit.steady("login-failures", settings.accountLoginFailures(),
                settings.accountLoginFailureWindow(), settings.accountLoginFailures(),
                "too many failed logins for this account");
        this.ipLogins = Limit.perPeriod("login-ip", settings.loginsPerIp(), settings.ipWindow(),
                "too many logins from this address");
        this.ipRegistrations = Limit.perPeriod("register-ip", settings.registrationsPerIp(), settings.ipWindow(),
                "too many sign-ups from this address");
    }

    /**
     * Before a login: counts it against the IP and as a failure of the account from this IP and
     * from everywhere, refusing it (429) if any of them is over its limit. A login that is not a
     * wrong password then calls {@link #notAFailure}.
     */
    void beforeLogin(String ip, String email) {
        limiter.take(ip, ipLogins);
        // Each attempt holds a failure token while its password is checked, so that guesses sent
        // at once cannot all pass a check made before any of them has failed; a login that turns
        // out not to be a failure gives them back (notAFailure).
        limiter.take(addressKey(ip, email), addressFailures);
        try {
            limiter.take(accountKey(email), accountFailures);
        } catch (RuntimeException e) {
            limiter.giveBack(addressKey(ip, email), addressFailures);
            throw e;
        }
    }

    /** After a login that was not a wrong password (it succeeded, or failed for another reason). */
    void notAFailure(String ip, String email) {
        limiter.giveBack(addressKey(ip, email), addressFailures);
        limiter.giveBack(accountKey(email), accountFailures);
    }

    private static String addressKey(String ip, String email) {
        return ip + " " + accountKey(email);
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
     *
     * @param loginFailures failed logins per account and client IP per {@code loginFailureWindow}
     * @param accountLoginFailures failed logins per account from all addresses at once, coming
     *     back steadily over {@code accountLoginFailureWindow}
     */
    @ConfigurationProperties("chatapp.limits")
    record Settings(
            @DefaultValue("5") int loginFailures,
            @DefaultValue("15m") Duration loginFailureWindow,
            @DefaultValue("100") int accountLoginFailures,
            @DefaultValue("1h") Duration accountLoginFailureWindow,
            @DefaultValue("100") int loginsPerIp,
            @DefaultValue("100") int registrationsPerIp,
            @DefaultValue("10m") Duration ipWindow) {
    }
}
