package chatapp.realtime;

import java.util.Optional;

/**
 * Port: where single-use WebSocket tickets wait for their handshake ({@code auth} store, items
 * keyed {@code ticket#<hash>}). Two adapters, SQLite and DynamoDB, both proven by
 * {@code TicketStoreContract}. Expired tickets disappear by themselves (DynamoDB TTL, SQLite
 * clean-up on write); until they do, {@link Tickets} refuses them by their {@code expiresAt}.
 */
public interface TicketStore {

    /** Stores a new ticket. Hashes are random and never reused. */
    void put(Ticket ticket);

    /**
     * Removes the ticket with this hash and returns it, atomically: of any number of concurrent
     * calls for one hash, at most one gets the ticket; every later call gets empty.
     */
    Optional<Ticket> take(String ticketHash);
}
