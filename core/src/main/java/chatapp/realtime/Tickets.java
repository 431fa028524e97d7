package chatapp.realtime;

import chatapp.core.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Single-use tickets for the WebSocket handshake (API.md, {@code POST /realtime/tickets}): a
 * browser cannot put an access token on a WebSocket handshake, and a token in a URL ends up in
 * logs and histories, so the client trades its token for a ticket that works once, for 60 s.
 * Tickets are 256 random bits; the store keeps only their SHA-256 (enough for a secret of that
 * entropy: nothing to brute-force, so no slow hash is needed). A ticket names the session it was
 * issued in and cannot be redeemed once that session has ended (docs/security.md, "Sessions").
 */
public final class Tickets {

    /** How long a ticket stays valid (API.md). */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    private static final int TICKET_BYTES = 32;

    private final TicketStore store;
    private final Clock clock;
    private final BiPredicate<String, String> sessionLive;

    /**
     * @param sessionLive whether the session (userId, sessionId) is live now
     *     ({@code chatapp.account.Sessions#live}); a ticket of a session that is not is refused
     */
    public Tickets(TicketStore store, Clock clock, BiPredicate<String, String> sessionLive) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.sessionLive = Objects.requireNonNull(sessionLive);
    }

    /** Tickets that know no sessions: only tickets bound to no session are redeemable (tests, tools). */
    public Tickets(TicketStore store, Clock clock) {
        this(store, clock, (userId, sessionId) -> false);
    }

    /** A ticket the client presents once, and when it expires. */
    public record Issued(String ticket, Instant expiresAt) {
    }

    /** Issues a ticket for {@code userId} bound to no session, valid for {@link #LIFETIME} (tests, tools). */
    public Issued issue(String userId) {
        return issue(userId, null);
    }

    /**
     * Issues a ticket for {@code userId} in session {@code sessionId}, valid for
     * {@link #LIFETIME}. The caller has checked that the session is live (its access token was
     * accepted).
     */
    public Issued issue(String userId, String sessionId) {
        String ticket = Ids.randomToken(TICKET_BYTES);
        Instant expiresAt = clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.MILLIS);
        store.put(new Ticket(hash(ticket), userId, expiresAt, sessionId));
        return new Issued(ticket, expiresAt);
    }

    /**
     * Spends a ticket: the user it was issued to, or empty if it is missing, unknown, already
     * used, expired or of a session that has ended (the handshake then answers 401). Spending
     * an expired ticket also removes it.
     */
    public Optional<String> redeem(String ticket) {
        return spend(ticket).map(Ticket::userId);
    }

    /**
     * As {@link #redeem}, with the session the ticket was issued in (the connection it opens is
     * bound to that session).
     */
    public Optional<Ticket> spend(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 256) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.take(hash(ticket))
                .filter(t -> t.expiresAt().isAfter(now))
                .filter(t -> t.sessionId() == null || sessionLive.test(t.userId(), t.sessionId()));
    }

    /** The stored form of a ticket: SHA-256, URL-safe base64 without padding. */
    public static String hash(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
