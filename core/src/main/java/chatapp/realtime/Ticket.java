package chatapp.realtime;

import java.time.Instant;

/**
 * A WebSocket ticket as stored: only its hash is kept (a leaked store does not let anyone
 * connect), with the user it authenticates and when it stops being valid.
 *
 * @param ticketHash {@link Tickets#hash} of the ticket the client holds
 * @param expiresAt millisecond precision
 * @param sessionId the session it was issued in; redeeming it fails once that session has
 *     ended, and the connection it opens is closed when the session ends; null: bound to no
 *     session (tests, tools)
 */
public record Ticket(String ticketHash, String userId, Instant expiresAt, String sessionId) {

    /** A ticket bound to no session. */
    public Ticket(String ticketHash, String userId, Instant expiresAt) {
        this(ticketHash, userId, expiresAt, null);
    }
}
