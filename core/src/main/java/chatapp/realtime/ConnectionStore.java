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

    /** Removes the record, and any frames withheld with it; false if there was none. */
    boolean remove(String userId, String connectionId);

    /**
     * Appends {@code frame} to the frames withheld with the record, atomically with the check
     * that the record exists, is {@link WebSocketConnection#awaitingHello} and holds fewer than
     * {@code max} withheld frames.
     *
     * @param frame the frame's JSON text as it will be posted (one line)
     * @return true if it was withheld; false if the record is gone, greeted or full
     */
    boolean withhold(String userId, String connectionId, String frame, int max);

    /**
     * Marks the record greeted (no longer awaiting hello) and takes the frames withheld with it,
     * atomically: a {@link #withhold} either lands before and is returned here, or after and
     * fails.
     *
     * @return the withheld frames, oldest first (empty if none, also for a record greeted
     *     already); empty Optional if there is no record
     */
    Optional<List<String>> greet(String userId, String connectionId);
}
