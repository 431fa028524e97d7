package chatapp.realtime;

/**
 * Port: delivers a frame to every live connection of a user, wherever it is held. Two adapters:
 * the built-in gateway (sockets held by this server, delivery in memory) and API Gateway
 * ({@code postToConnection}). Delivery is at-least-once best effort: a connection that cannot
 * take the frame is dropped (its client reconnects and catches up), and a slow connection never
 * delays delivery to the others.
 */
public interface FanOut {

    /**
     * Delivers {@code frame} to every connection of {@code userId} except
     * {@code exceptConnectionId} (null for none: e.g. the connection that sent the message and
     * gets an {@code ack} instead).
     */
    void deliver(String userId, ServerFrame frame, String exceptConnectionId);

    /**
     * Closes every connection of {@code userId} bound to session {@code sessionId} that this
     * fan-out can reach, with {@code reason} (docs/protocol.md): the built-in gateway closes the
     * sockets it holds at once (other nodes notice within {@code Sessions#LIVENESS_TTL} by their
     * heartbeat); API Gateway's deletes every recorded connection of the session through the
     * Management API, after an {@code error} frame naming the reason. Never throws for one
     * connection's trouble.
     */
    void disconnect(String userId, String sessionId, CloseReason reason);

    /** Closes one connection with {@code reason}, as {@link #disconnect(String, String, CloseReason)}. */
    void disconnect(WebSocketConnection connection, CloseReason reason);
}
