package chatapp.account;

import java.time.Instant;

/**
 * A live session (refresh-token chain) as its owner sees it in the session list (API.md,
 * {@code GET /users/me/sessions}).
 *
 * @param device a short summary of the User-Agent it signed in with ({@link Devices#summary}); null if unknown
 * @param address the client's IP address at sign-in; null if unknown
 * @param createdAt when it signed in
 * @param lastUsedAt when it was last used (an authenticated request or a refresh), updated at
 *     most once a minute ({@link Sessions#TOUCH_EVERY}); its sign-in time until then
 */
public record Session(String sessionId, String device, String address, Instant createdAt, Instant lastUsedAt) {
}
