package chatapp.realtime;

import java.time.Instant;

/**
 * A WebSocket ticket as stored: only its hash is kept (a leaked store does not let anyone
 * connect), with the user it authenticates and when it stops being valid.
 *
 * @param ticketHash {@link Tickets#hash} of the ticket the client holds
 * @param expiresAt millisecond precision
 */
public record Ticket(String ticketHash, String userId, Instant expiresAt) {
}
