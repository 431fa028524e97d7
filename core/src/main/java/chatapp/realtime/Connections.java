package chatapp.realtime;

import chatapp.core.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of who is connected where. A record lives {@link #RECORD_LIFETIME} unless its
 * holder refreshes it, so a node that dies without cleaning up leaves nothing behind for long.
 */
public final class Connections {

    /** How long a record lives without a refresh. */
    public static final Duration RECORD_LIFETIME = Duration.ofMinutes(15);
    /** Holders refresh a record once less than this is left. */
    public static final Duration REFRESH_WHEN_LEFT = Duration.ofMinutes(10);

    private final ConnectionStore store;
    private final Clock clock;

    public Connections(ConnectionStore store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Records a new connection of {@code userId} held by {@code heldBy}, with a fresh random id. */
    public WebSocketConnection open(String userId, String heldBy) {
        return open(userId, Ids.random(), heldBy);
    }

    /**
     * Records a connection whose id was given by whoever holds the socket (API Gateway names
     * its connections), held by {@code heldBy}.
     */
    public WebSocketConnection open(String userId, String connectionId, String heldBy) {
        return open(new Ticket(null, userId, null), connectionId, heldBy);
    }

    /**
     * Records a connection opened with {@code ticket}: of its user, bound to its session.
     *
     * @param connectionId as the socket's holder names it; null for a fresh random id
     */
    public WebSocketConnection open(Ticket ticket, String connectionId, String heldBy) {
        Instant now = now();
        WebSocketConnection c = new WebSocketConnection(ticket.userId(), connectionId == null ? Ids.random() : connectionId,
                heldBy, now, now.plus(RECORD_LIFETIME), ticket.sessionId());
        store.put(c);
        return c;
    }

    /**
     * The per-user cap (docs/protocol.md, "Limits and close codes"): with {@code opened} just
     * recorded, the oldest live connections of its user beyond {@code cap}, which are to be
     * closed ({@link CloseReason#TOO_MANY_CONNECTIONS}). Never {@code opened} itself: a user who
     * reloads keeps the new socket and loses the forgotten one.
     */
    public List<WebSocketConnection> beyondCap(WebSocketConnection opened, int cap) {
        List<WebSocketConnection> others = of(opened.userId()).stream()
                .filter(c -> !c.connectionId().equals(opened.connectionId()))
                .sorted(Comparator.comparing(WebSocketConnection::connectedAt))
                .toList();
        int over = others.size() + 1 - Math.max(1, cap);
        return over <= 0 ? List.of() : others.subList(0, over);
    }

    /**
     * Extends the record's life if it is due ({@link #REFRESH_WHEN_LEFT}); returns the record
     * as now stored.
     */
    public WebSocketConnection refresh(WebSocketConnection c) {
        if (!refreshDue(c)) {
            return c;
        }
        Instant now = now();
        WebSocketConnection renewed = new WebSocketConnection(c.userId(), c.connectionId(), c.heldBy(),
                c.connectedAt(), now.plus(RECORD_LIFETIME), c.sessionId());
        store.put(renewed);
        return renewed;
    }

    /** Whether {@link #refresh} would write: less than {@link #REFRESH_WHEN_LEFT} is left. */
    public boolean refreshDue(WebSocketConnection c) {
        return !c.expiresAt().isAfter(clock.instant().plus(REFRESH_WHEN_LEFT));
    }

    /** Removes the record of a closed connection. */
    public void close(WebSocketConnection c) {
        store.remove(c.userId(), c.connectionId());
    }

    /** The live (unexpired) connections of {@code userId}. */
    public List<WebSocketConnection> of(String userId) {
        Instant now = clock.instant();
        return store.forUser(userId).stream().filter(c -> c.expiresAt().isAfter(now)).toList();
    }

    /** Since when {@code userId} is online: the oldest of their live connections; empty if none. */
    public Optional<Instant> onlineSince(String userId) {
        return of(userId).stream().map(WebSocketConnection::connectedAt).min(Instant::compareTo);
    }

    /** The live connection with this id, if any. */
    public Optional<WebSocketConnection> find(String connectionId) {
        Instant now = clock.instant();
        return store.find(connectionId).filter(c -> c.expiresAt().isAfter(now));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
