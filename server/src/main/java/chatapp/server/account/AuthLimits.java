package chatapp.server.account;

import chatapp.account.Emails;
import chatapp.core.ChatAppException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Brute-force limits on sign-in and sign-up (issue 12), with Bucket4j over the store's buckets
 * ({@link LocalBuckets} on one machine, {@code DynamoBuckets} shared by every AWS node):
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

    private final ProxyManager<String> buckets;
    private final Supplier<BucketConfiguration> accountFailures;
    private final Supplier<BucketConfiguration> ipLogins;
    private final Supplier<BucketConfiguration> ipRegistrations;

    AuthLimits(ProxyManager<String> buckets, Settings settings) {
        this.buckets = buckets;
        BucketConfiguration failures = intervally(settings.loginFailures(), settings.loginFailureWindow());
        BucketConfiguration logins = intervally(settings.loginsPerIp(), settings.ipWindow());
        BucketConfiguration registrations = intervally(settings.registrationsPerIp(), settings.ipWindow());
        this.accountFailures = () -> failures;
        this.ipLogins = () -> logins;
        this.ipRegistrations = () -> registrations;
    }

    private static BucketConfiguration intervally(int tokens, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(tokens).refillIntervally(tokens, window))
                .build();
    }

    /**
     * Before a login: counts it against the IP and refuses it if the IP or the account is over
     * its limit.
     */
    void beforeLogin(String ip, String email) {
        take("login-ip:" + ip, ipLogins, "too many logins from this address");
        EstimationProbe account = buckets.getProxy(accountKey(email), accountFailures).estimateAbilityToConsume(1);
        if (!account.canBeConsumed()) {
            throw refusal("too many failed logins for this account", account.getNanosToWaitForRefill());
        }
    }

    /** After a failed login: counts the failure against the account. */
    void loginFailed(String email) {
        buckets.getProxy(accountKey(email), accountFailures).tryConsume(1);
    }

    /** Before a sign-up: counts it against the IP, refusing it over the limit. */
    void beforeRegistration(String ip) {
        take("register-ip:" + ip, ipRegistrations, "too many sign-ups from this address");
    }

    private void take(String key, Supplier<BucketConfiguration> config, String detail) {
        ConsumptionProbe probe = buckets.getProxy(key, config).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refusal(detail, probe.getNanosToWaitForRefill());
        }
    }

    private static String accountKey(String email) {
        String normalised = Emails.normalise(email);
        return "login-failures:" + (normalised == null ? "" : normalised);
    }

    private static ChatAppException refusal(String detail, long nanosToWait) {
        return ChatAppException.rateLimited(detail + "; try again later", Duration.ofNanos(Math.max(nanosToWait, 1)));
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
