package chatapp.notification;

import chatapp.core.ChatAppException;
import chatapp.core.Ids;
import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

/**
 * The single-use secrets of the links ChatApp emails (verify an address, reset a password). They
 * are kept like WebSocket tickets, in the {@link TicketStore}: 256 random bits, only their
 * SHA-256 stored, taken atomically so that a link works once, refused after {@code expiresAt}
 * (docs/decisions/0042-email.md). The hash is of the purpose and the token together, so a link
 * of one purpose is unknown to the other, and to the WebSocket handshake.
 */
final class EmailLinks {

    /** What a link is for; part of its hash. */
    enum Purpose {
        VERIFY_EMAIL("verify-email"), RESET_PASSWORD("reset-password");

        private final String prefix;

        Purpose(String prefix) {
            this.prefix = prefix;
        }
    }

    private final TicketStore store;
    private final Clock clock;

    EmailLinks(TicketStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new token for {@code userId}, valid for {@code lifetime}: the secret of one link. */
    String issue(Purpose purpose, String userId, Duration lifetime) {
        return issue(purpose, userId, lifetime, null);
    }

    /**
     * A new token for {@code userId}, valid for {@code lifetime} and bound to {@code binding}
     * (read back by {@link #binding}): the state of the account the link is for, e.g. a
     * fingerprint of its password hash, so that a change voids the link. Kept in the ticket's
     * {@code sessionId} field, which email links do not otherwise use (no schema change).
     */
    String issue(Purpose purpose, String userId, Duration lifetime, String binding) {
        String token = Ids.randomToken(32);
        Instant expiresAt = clock.instant().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
        store.put(new Ticket(hash(purpose, token), userId, expiresAt, binding == null ? null : BINDING + binding));
        return token;
    }

    private static final String BINDING = "link-bound:";

    /** What {@code spent} was bound to at issue, or null (issued unbound, or before bindings existed). */
    static String binding(Ticket spent) {
        String s = spent.sessionId();
        return s != null && s.startsWith(BINDING) ? s.substring(BINDING.length()) : null;
    }

    /** {@code validation_failed} naming {@code token}, word for word that of an unknown or used link. */
    static ChatAppException unknownLink() {
        return unknown();
    }

    /**
     * Spends a token: the ticket it was kept as (its {@code userId} is whom the link is for).
     *
     * @throws ChatAppException {@code validation_failed} naming {@code token}: missing, unknown
     *     (never issued, of another purpose, or used already) or expired, each with its detail
     */
    Ticket spend(Purpose purpose, String token) {
        if (token == null || token.isBlank()) {
            throw ChatAppException.invalid("token", "is required");
        }
        if (token.length() > 100) {
            throw unknown();
        }
        Optional<Ticket> taken = store.take(hash(purpose, token));
        if (taken.isEmpty()) {
            throw unknown();
        }
        if (!clock.instant().isBefore(taken.get().expiresAt())) {
            throw ChatAppException.invalid("token", "this link has expired; ask for a new one");
        }
        return taken.get();
    }

    /** Puts back a token spent by {@link #spend} for a request that was then refused (a password too weak), so the link still works. */
    void restore(Ticket spent) {
        store.put(spent);
    }

    /** A store write for nobody: an unknown address costs the same as a known one (no timing tells). */
    void decoy(Duration lifetime) {
        store.put(new Ticket(hash(Purpose.RESET_PASSWORD, Ids.randomToken(32)), "nobody",
                clock.instant().plus(lifetime).truncatedTo(ChronoUnit.MILLIS)));
    }

    private static ChatAppException unknown() {
        return ChatAppException.invalid("token", "this link is unknown or was used already; ask for a new one");
    }

    static String hash(Purpose purpose, String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((purpose.prefix + ' ' + token).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
