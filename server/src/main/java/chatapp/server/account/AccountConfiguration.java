package chatapp.server.account;

import chatapp.account.Accounts;
import chatapp.account.PasswordHashing;
import chatapp.account.SessionStore;
import chatapp.account.Sessions;
import chatapp.account.UserStore;
import chatapp.core.CursorCodec;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Wires accounts: the password encoders (docs/decisions/0017-accounts-password-hashing.md) and the core service. */
@Configuration(proxyBeanMethods = false)
class AccountConfiguration {

    /**
     * Argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane; 16-byte salt, 32-byte hash) for
     * new hashes, stored as {@code {argon2}...}; bcrypt for the prototype's hashes, which carry no
     * prefix ({@code $2b$12$...}) and are upgraded to Argon2id at the next login.
     */
    static DelegatingPasswordEncoder passwordEncoder() {
        Map<String, PasswordEncoder> encoders = Map.of(
                "argon2", new Argon2PasswordEncoder(16, 32, 1, 19_456, 2),
                "bcrypt", new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, 12));
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("argon2", encoders);
        encoder.setDefaultPasswordEncoderForMatches(encoders.get("bcrypt"));
        return encoder;
    }

    /**
     * Core's hashing seam on Spring Security's encoders. At most two hashes per core run at
     * once: each Argon2id hash holds 19 MiB, so a flood of logins queues instead of filling the
     * heap.
     */
    @Bean
    PasswordHashing passwordHashing() {
        DelegatingPasswordEncoder encoder = passwordEncoder();
        Semaphore slots = new Semaphore(2 * Runtime.getRuntime().availableProcessors());
        return new PasswordHashing(
                raw -> bounded(slots, () -> encoder.encode(raw)),
                (raw, hash) -> bounded(slots, () -> safeMatches(encoder, raw, hash)),
                hash -> {
                    try {
                        return encoder.upgradeEncoding(hash);
                    } catch (IllegalArgumentException e) {
                        return true;
                    }
                });
    }

    /**
     * Which sessions are live, and ending them (docs/security.md, "Sessions"): each
     * {@link chatapp.account.SessionEnded} is published as a Spring event, synchronously, after
     * the store has it; the real-time side closes the session's sockets.
     */
    @Bean
    Sessions sessions(SessionStore store, Clock clock, ApplicationEventPublisher publisher) {
        return new Sessions(store, clock, Sessions.LIVENESS_TTL, publisher::publishEvent);
    }

    @Bean
    Accounts accounts(UserStore users, Sessions sessions, PasswordHashing hashing, CursorCodec cursors, Clock clock) {
        return new Accounts(users, sessions, hashing, cursors, clock);
    }

    @Bean
    AuthLimits authLimits(RateLimitStore buckets, Clock clock, AuthLimits.Settings settings) {
        return new AuthLimits(new RateLimiter(buckets, clock), settings);
    }

    private static boolean safeMatches(PasswordEncoder encoder, String raw, String hash) {
        try {
            return encoder.matches(raw, hash);
        } catch (IllegalArgumentException e) {
            return false; // a hash no encoder can read matches nothing
        }
    }

    private static <T> T bounded(Semaphore slots, Supplier<T> work) {
        slots.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
