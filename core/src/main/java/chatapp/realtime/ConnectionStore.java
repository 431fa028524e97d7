package chatapp.realtime;

import java.util.List;
import java.util.Optional;

/**
 * Port: the {@code WebSocketConnections} store, keyed by (userId, connectionId) and looked up
 * by connectionId too. Two adapters, SQLite and DynamoDB, both proven by
 * {@code ConnectionStoreContract}. Records past their {@code expiresAt} disappear by themselves
 * (DynamoDB TTL, SQLite clean-up on write); until they do they may still be returned, and
 * {@link Connections} ignores them.
 */
public interface ConnectionStore {

    /** Records a connection, replacing the record with the same key (a refresh). */
    void put(WebSocketConnection connection);

    /** Every recorded connection of {@code userId}, by key (no scan). */
    List<WebSocketConnection> forUser(String userId);

    /** The connection with this id, by index (no scan). */
    Optional<WebSocketConnection> find(String connectionId);

    /** Removes the record; false if there was none. */
    boolean remove(String userId, String connectionId);
}
