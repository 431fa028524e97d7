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
 */
public record WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
        Instant expiresAt) {
}
