package chatapp.account;

/**
 * Port: refresh-token chains ({@code auth} store). One chain per sign-in (a "session"); each
 * refresh rotates the chain to a new token. Tokens are kept only as hashes. Expired items
 * expire by themselves (DynamoDB TTL on {@code expiresAt}; SQLite expiry columns purged by the
 * adapter). Two adapters, both proven by {@code SessionStoreContract}.
 */
public interface SessionStore {

    /** Starts a new chain whose current token is {@code session.tokenHash()}. */
    void create(RefreshSession session);
}
