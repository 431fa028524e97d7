package chatapp.account;

/**
 * A session (refresh-token chain) ended: logout, log out everywhere, a password change (the
 * other sessions), the owner ending it from the session list. What must follow, in every shape:
 * its access tokens are refused, its tickets cannot be redeemed, its WebSockets are closed
 * (docs/security.md, "Sessions").
 */
public record SessionEnded(String userId, String sessionId) {
}
