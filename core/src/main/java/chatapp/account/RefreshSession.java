package chatapp.account;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One refresh-token chain as stored: its id, its owner, the hash of its current token
 * (SHA-256, base64url; the token itself is never stored) and when that token expires; and what
 * the session list shows of it: the device it signed in from (a short summary of its
 * User-Agent, {@link Devices#summary}), the client's IP address and when it started.
 *
 * @param device null when unknown
 * @param address null when unknown
 * @param createdAt millisecond precision
 */
public record RefreshSession(String sessionId, String userId, String tokenHash, Instant expiresAt, String device,
        String address, Instant createdAt) {

    /** A chain whose device and address are unknown, starting now. */
    public RefreshSession(String sessionId, String userId, String tokenHash, Instant expiresAt) {
        this(sessionId, userId, tokenHash, expiresAt, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
