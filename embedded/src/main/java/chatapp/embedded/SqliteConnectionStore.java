package chatapp.embedded;

import chatapp.realtime.ConnectionStore;
import chatapp.realtime.WebSocketConnection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ConnectionStore} on SQLite: table {@code websocket_connections}, keyed by
 * (user_id, connection_id), connection_id unique. Each write also deletes expired records.
 * Frames withheld for a connection awaiting hello are in its row's {@code withheld}, one a line
 * (a frame's JSON text holds no raw line break); the single writer makes each check-and-append
 * atomic.
 */
public final class SqliteConnectionStore implements ConnectionStore {

    private static final String COLUMNS = "user_id, connection_id, held_by, connected_at, expires_at, session_id,"
            + " awaiting_hello";

    private final SqliteDatabase db;
    private final Clock clock;

    public SqliteConnectionStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void put(WebSocketConnection c) {
        long now = clock.millis();
        db.write(h -> {
            h.execute("delete from websocket_connections where expires_at <= ?", now);
            // A replacement, as DynamoDB's PutItem: frames withheld with the old record go too.
            return h.execute("insert into websocket_connections (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?)"
                            + " on conflict (user_id, connection_id) do update set held_by = excluded.held_by,"
                            + " connected_at = excluded.connected_at, expires_at = excluded.expires_at,"
                            + " session_id = excluded.session_id, awaiting_hello = excluded.awaiting_hello,"
                            + " withheld = null",
                    c.userId(), c.connectionId(), c.heldBy(), c.connectedAt().toEpochMilli(),
                    c.expiresAt().toEpochMilli(), c.sessionId(), c.awaitingHello() ? 1 : 0);
        });
    }

    @Override
    public List<WebSocketConnection> forUser(String userId) {
        // Read for every stored message (fan-out, push): a statement prepared once, not a JDBI query
        return db.query(FOR_USER, p -> {
            p.setString(1, userId);
            List<WebSocketConnection> all = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    all.add(row(rs));
                }
            }
            return all;
        });
    }

    private static final String FOR_USER = "select " + COLUMNS + " from websocket_connections where user_id = ?";

    @Override
    public Optional<WebSocketConnection> find(String connectionId) {
        return db.read(h -> h.createQuery("select " + COLUMNS + " from websocket_connections where connection_id = ?")
                .bind(0, connectionId)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    @Override
    public boolean remove(String userId, String connectionId) {
        return db.write(h -> h.execute("delete from websocket_connections where user_id = ? and connection_id = ?",
                userId, connectionId)) > 0;
    }

    @Override
    public boolean withhold(String userId, String connectionId, String frame, int max) {
        if (frame.isEmpty() || frame.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a frame to withhold is one non-empty line of JSON");
        }
        return db.write(h -> h.execute("update websocket_connections"
                        + " set withheld = case when withheld is null then ? else withheld || char(10) || ? end"
                        + " where user_id = ? and connection_id = ? and awaiting_hello = 1 and (withheld is null"
                        + " or length(withheld) - length(replace(withheld, char(10), '')) + 1 < ?)",
                frame, frame, userId, connectionId, max)) > 0;
    }

    @Override
    public Optional<List<String>> greet(String userId, String connectionId) {
        return db.write(h -> {
            Optional<String> withheld = h.createQuery("select coalesce(withheld, '') from websocket_connections"
                            + " where user_id = ? and connection_id = ?")
                    .bind(0, userId).bind(1, connectionId).mapTo(String.class).findOne();
            if (withheld.isPresent()) {
                h.execute("update websocket_connections set awaiting_hello = 0, withheld = null"
                        + " where user_id = ? and connection_id = ?", userId, connectionId);
            }
            return withheld.map(w -> w.isEmpty() ? List.<String>of() : List.of(w.split("\n")));
        });
    }

    private static WebSocketConnection row(ResultSet rs) throws SQLException {
        return new WebSocketConnection(rs.getString("user_id"), rs.getString("connection_id"), rs.getString("held_by"),
                Instant.ofEpochMilli(rs.getLong("connected_at")), Instant.ofEpochMilli(rs.getLong("expires_at")),
                rs.getString("session_id"), rs.getInt("awaiting_hello") != 0);
    }
}
