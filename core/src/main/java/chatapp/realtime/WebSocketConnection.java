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
 * @param awaitingHello its {@code hello} has not gone out yet, so nothing else may be posted to
 *     it (docs/protocol.md: {@code hello} is a connection's first frame): true from API Gateway's
 *     {@code $connect} until the hello function has posted {@code hello}
 *     ({@link Connections#greeted}); frames meanwhile are withheld with the record
 *     ({@link Connections#mayPost}). False for the built-in gateway, which queues {@code hello}
 *     ahead of every other frame in memory, and for records written before this field existed
 *     (their connections were established long before, so greeted)
 */
public record WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
        Instant expiresAt, String sessionId, boolean awaitingHello) {

    /** A greeted connection (not {@link #awaitingHello}). */
    public WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
            Instant expiresAt, String sessionId) {
        this(userId, connectionId, heldBy, connectedAt, expiresAt, sessionId, false);
    }

    /** A greeted connection bound to no session. */
    public WebSocketConnection(String userId, String connectionId, String heldBy, Instant connectedAt,
            Instant expiresAt) {
        this(userId, connectionId, heldBy, connectedAt, expiresAt, null);
    }
}
