package chatapp.realtime;

import java.time.Instant;

/**
 * One live WebSocket connection as recorded in {@code WebSocketConnections}
 * (docs/architecture.md, "Data"). A user may hold several at once (devices, tabs).
 *
 * @param heldBy where the socket is held: a built-in node ({@code builtin:<host>/<node id>}) or
 *     an API Gateway endpoint; fan-out uses it to reach the socket
 * @param connectedAt millisecond precision
 * @param expiresAt millisecond precision; after it the record is stale (its holder died
 *     without removing it) and is ignored, then removed by the store
 * @param sessionId the session (refresh-token chain) whose ticket opened it: the connection is
 *     closed when that session ends (docs/security.md, "Sessions"); null for a connection opened
 *     with a ticket bound to no session (tests, tools)
 */
public record WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
        Instant expiresAt, String sessionId) {

    /** A connection bound to no session. */
    public WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
            Instant expiresAt) {
        this(userId, connectionId, heldBy, connectedAt, expiresAt, null);
    }
}
