package chatapp.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: refresh-token chains ({@code auth} store). One chain per sign-in (a "session"); each
 * refresh rotates the chain to a new token. Tokens are kept only as hashes; the chain's current
 * token is also kept sealed (encrypted with a key only the holder of the previous token can
 * derive), so that a repeat of the previous token within its grace window can be answered with
 * the same successor. Expired items expire by themselves (DynamoDB TTL on {@code expiresAt};
 * SQLite expiry columns purged by the adapter) and are treated as absent before that. Two
 * adapters, both proven by {@code SessionStoreContract}.
 */
public interface SessionStore {

    /** Starts a new chain whose current token is {@code session.tokenHash()}. */
    void create(RefreshSession session);

    /**
     * Presents the token with hash {@code presentedHash}, atomically deciding one of:
     * <ul>
     * <li>it is the current, unexpired token of a live chain: the chain moves to {@code next}
     * and remembers {@code presentedHash} as its previous token, repeatable until
     * {@code next.repeatableUntil()}: {@link Rotation.Outcome#ROTATED};
     * <li>it is the chain's previous token and {@code now} is before the repeatable-until
     * recorded when it was rotated away: nothing changes, the answer carries the chain's current
     * token as sealed then: {@link Rotation.Outcome#REPEATED};
     * <li>it is any other token of a live chain (spent: stolen, or replayed too late): the whole
     * chain is revoked: {@link Rotation.Outcome#REUSED};
     * <li>anything else (unknown, expired, revoked): {@link Rotation.Outcome#REJECTED}.
     * </ul>
     * Of concurrent presentations of one current token, exactly one rotates; the others get the
     * repeat answer (if still within the window) with that same successor. The chain keeps
     * exactly one live token throughout.
     */
    Rotation rotate(String presentedHash, Successor next, Instant now);

    /**
     * Revokes the chain that holds the token with this hash, if it belongs to {@code userId}
     * (logout); the chain's id, or empty if there is no such live chain.
     */
    Optional<String> revoke(String tokenHash, String userId, Instant now);

    /**
     * Revokes every chain of {@code userId} except {@code keepSessionId} (may be null: all);
     * the ids of the chains it revoked (by key, no scan).
     */
    List<String> revokeOthers(String userId, String keepSessionId);

    /** Revokes the chain {@code sessionId} of {@code userId}; false if there is no such unrevoked chain. */
    boolean revokeSession(String userId, String sessionId);

    /**
     * Whether the chain {@code sessionId} of {@code userId} is live at {@code now}: it exists, is
     * not revoked and has not expired. A strongly consistent read: a revocation that returned
     * is seen.
     */
    boolean live(String userId, String sessionId, Instant now);

    /** The live chains of {@code userId} at {@code now}, oldest first (one key range, no scan). */
    List<Session> sessions(String userId, Instant now);

    /** Records that the chain was used at {@code at} (its {@link Session#lastUsedAt()}); nothing if it is gone. */
    void touch(String userId, String sessionId, Instant at);

    /**
     * The token a rotation moves a chain to.
     *
     * @param tokenHash its hash (SHA-256, base64url)
     * @param sealedToken the token itself, sealed with a key derived from the presented token
     *     (opaque to the store; never a usable token in clear)
     * @param expiresAt when it expires
     * @param repeatableUntil until when (exclusive) the presented token may be repeated for
     *     this same successor
     */
    record Successor(String tokenHash, String sealedToken, Instant expiresAt, Instant repeatableUntil) {
    }

    /**
     * What presenting a refresh token did.
     *
     * @param userId the chain's owner; null when {@link Outcome#REJECTED}
     * @param sessionId the chain; null when {@link Outcome#REJECTED}
     * @param sealedSuccessor the chain's current token as sealed at its rotation; only when
     *     {@link Outcome#REPEATED}, else null
     */
    record Rotation(Outcome outcome, String userId, String sessionId, String sealedSuccessor) {

        public enum Outcome { ROTATED, REPEATED, REUSED, REJECTED }

        /** An outcome that carries no successor. */
        public Rotation(Outcome outcome, String userId, String sessionId) {
            this(outcome, userId, sessionId, null);
        }

        public static Rotation rejected() {
            return new Rotation(Outcome.REJECTED, null, null);
        }
    }
}
