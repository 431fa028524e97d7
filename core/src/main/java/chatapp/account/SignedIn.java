package chatapp.account;

/**
 * The result of a sign-up, login or refresh: the account, and the new refresh token of the
 * session (the only time the raw token exists; the store holds its hash). The server adds the
 * access token.
 */
public record SignedIn(User user, String sessionId, String refreshToken) {

    @Override
    public String toString() {
        return "SignedIn[userId=" + user.userId() + ", sessionId=" + sessionId + "]"; // never the token
    }
}
