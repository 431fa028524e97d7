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
}
