package chatapp.embedded;

import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link TicketStore} on SQLite: table {@code websocket_tickets}. Taking a ticket is one
 * {@code delete ... returning} on the single writer, so exactly one taker gets it. Each new
 * ticket also deletes the expired ones.
 */
public final class SqliteTicketStore implements TicketStore {

    private final SqliteDatabase db;
    private final Clock clock;

    public SqliteTicketStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void put(Ticket ticket) {
        long now = clock.millis();
        db.write(h -> {
            h.execute("delete from websocket_tickets where expires_at <= ?", now);
            return h.execute("insert into websocket_tickets (ticket_hash, user_id, expires_at, session_id) values (?, ?, ?, ?)",
                    ticket.ticketHash(), ticket.userId(), ticket.expiresAt().toEpochMilli(), ticket.sessionId());
        });
    }

    @Override
    public Optional<Ticket> take(String ticketHash) {
        return db.write(h -> h.createQuery(
                        "delete from websocket_tickets where ticket_hash = ? returning user_id, expires_at, session_id")
                .bind(0, ticketHash)
                .map((rs, ctx) -> new Ticket(ticketHash, rs.getString("user_id"),
                        Instant.ofEpochMilli(rs.getLong("expires_at")), rs.getString("session_id")))
                .findOne());
    }
}
