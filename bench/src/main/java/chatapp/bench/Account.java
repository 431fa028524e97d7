package chatapp.bench;

/**
 * A user the tool signs in as: its credentials (kept in the state file) and its current tokens.
 * Refresh tokens rotate (API.md), so the newest one is what gets saved.
 */
final class Account {

    final String userId;
    final String email;
    final String password;
    private volatile String accessToken;
    private volatile String refreshToken;
    private long tokensAt;

    Account(String userId, String email, String password) {
        this.userId = userId;
        this.email = email;
        this.password = password;
    }

    String accessToken() {
        return accessToken;
    }

    String refreshToken() {
        return refreshToken;
    }

    synchronized void tokens(String access, String refresh) {
        this.accessToken = access;
        this.refreshToken = refresh;
        this.tokensAt = System.nanoTime();
    }

    /**
     * After a 401: signs in again, unless another thread did so in the last few seconds (many
     * calls of one user can see the same expired token at once).
     */
    synchronized void refreshAfter401(Api api) {
        if (System.nanoTime() - tokensAt < 5_000_000_000L) {
            return;
        }
        api.signIn(this);
    }
}
