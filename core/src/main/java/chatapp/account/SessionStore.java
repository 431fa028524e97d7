package chatapp.account;

import java.time.Instant;

/**
 * Port: refresh-token chains ({@code auth} store). One chain per sign-in (a "session"); each
 * refresh rotates the chain to a new token. Tokens are kept only as hashes. Expired items
 * expire by themselves (DynamoDB TTL on {@code expiresAt}; SQLite expiry columns purged by the
 * adapter) and are treated as absent before that. Two adapters, both proven by
 * {@code SessionStoreContract}.
 */
public interface SessionStore {

    /** Starts a new chain whose current token is {@code session.tokenHash()}. */
    void create(RefreshSession session);

    /**
     * Presents the token with hash {@code presentedHash}. If it is the current, unexpired token
     * of a live chain, the chain moves atomically to the token with hash {@code nextHash}, which
     * expires at {@code nextExpiresAt}, and
     * the answer is {@link Rotation.Outcome#ROTATED}. If it is a token of a live chain that was
     * already rotated away (a spent token: stolen, or replayed), the whole chain is revoked and
     * the answer is {@link Rotation.Outcome#REUSED}. Anything else (unknown, expired, revoked)
     * is {@link Rotation.Outcome#REJECTED}. Of two concurrent presentations of one current
     * token, exactly one rotates; the other counts as reuse.
     */
    Rotation rotate(String presentedHash, String nextHash, Instant nextExpiresAt, Instant now);

    /**
     * Revokes the chain that holds the token with this hash, if it belongs to {@code userId}
     * (logout); false if there is no such live chain.
     */
    boolean revoke(String tokenHash, String userId, Instant now);

    /** Revokes every chain of {@code userId} except {@code keepSessionId} (may be null: all). */
    void revokeOthers(String userId, String keepSessionId);

    /**
     * What presenting a refresh token did.
     *
     * @param userId the chain's owner; null when {@link Outcome#REJECTED}
     * @param sessionId the chain; null when {@link Outcome#REJECTED}
     */
    record Rotation(Outcome outcome, String userId, String sessionId) {

        public enum Outcome { ROTATED, REUSED, REJECTED }

        public static Rotation rejected() {
            return new Rotation(Outcome.REJECTED, null, null);
        }
    }
}
