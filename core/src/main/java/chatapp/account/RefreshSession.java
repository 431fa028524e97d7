package chatapp.account;

import java.time.Instant;

/**
 * One refresh-token chain as stored: its id, its owner, the hash of its current token
 * (SHA-256, base64url; the token itself is never stored) and when that token expires.
 */
public record RefreshSession(String sessionId, String userId, String tokenHash, Instant expiresAt) {
}
