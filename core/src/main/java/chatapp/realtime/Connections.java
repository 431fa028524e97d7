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
    /**
     * At most this many frames are withheld for a connection awaiting hello; later ones are
     * dropped (its client catches up after hello, docs/protocol.md). Hello normally follows
     * within milliseconds, so only a connection whose hello never goes out fills this.
     */
    public static final int MAX_WITHHELD = 50;
    /**
     * A record still awaiting hello this long after it was written is taken as greeted: its
     * greeter gave up (the hello function stops retrying after 5 s), died between the hello and
     * the mark, or is a version from before greetings were recorded (a rolling deploy). Posting
     * to it then is the lesser harm; a 410 removes it as any gone connection's.
     */
    public static final Duration GREETING_WITHIN = Duration.ofSeconds(10);

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
     * Records a connection opened with {@code ticket}: of its user, bound to its session, and
     * greeted (its holder sends {@code hello} ahead of anything else, as the built-in gateway).
     *
     * @param connectionId as the socket's holder names it; null for a fresh random id
     */
    public WebSocketConnection open(Ticket ticket, String connectionId, String heldBy) {
        return open(ticket, connectionId, heldBy, false);
    }

    /**
     * As {@link #open(Ticket, String, String)}; {@code awaitingHello} for a connection whose
     * {@code hello} goes out later, by another process (API Gateway's hello function): until
     * {@link #greeted} nothing is posted to it ({@link #mayPost}).
     */
    public WebSocketConnection open(Ticket ticket, String connectionId, String heldBy, boolean awaitingHello) {
        Instant now = now();
        WebSocketConnection c = new WebSocketConnection(ticket.userId(), connectionId == null ? Ids.random() : connectionId,
                heldBy, now, now.plus(RECORD_LIFETIME), ticket.sessionId(), awaitingHello);
        store.put(c);
        return c;
    }

    /**
     * The rule of docs/protocol.md that {@code hello} is a connection's first frame, for a
     * fan-out that posts to connections another process greets: whether {@code frame} may be
     * posted to {@code c} now. Yes if {@code c} was greeted when it was read, or is by now, or has
     * awaited hello for {@link #GREETING_WITHIN} already. If it is still awaiting hello, the frame is withheld with its record instead, and whoever greets
     * it posts the frame right after {@code hello} ({@link #greeted}); false then, and false if
     * the record is gone or already holds {@link #MAX_WITHHELD} frames (dropped: its client
     * catches up after hello). So every frame fanned out after {@code hello} went out reaches
     * the connection, and none before it.
     *
     * @param frame the frame's JSON text, as it would be posted
     */
    public boolean mayPost(WebSocketConnection c, String frame) {
        if (!awaitsHello(c)) {
            return true;
        }
        if (store.withhold(c.userId(), c.connectionId(), frame, MAX_WITHHELD)) {
            return false;
        }
        // Not withheld: greeted meanwhile (post it), or gone or full (drop it). Read by key, not
        // by the connection-id index, which may lag behind the greeting.
        return store.forUser(c.userId()).stream()
                .anyMatch(r -> r.connectionId().equals(c.connectionId()) && !r.awaitingHello());
    }

    /**
     * Whether {@code c} still awaits its hello: recorded so, less than {@link #GREETING_WITHIN}
     * ago. Such a connection may not be established yet (API Gateway answers 410 for it), so a
     * 410 does not mean it is gone.
     */
    public boolean awaitsHello(WebSocketConnection c) {
        return c.awaitingHello() && c.connectedAt().plus(GREETING_WITHIN).isAfter(clock.instant());
    }

    /**
     * {@code hello} went out to connection {@code connectionId} of {@code userId}: from now on
     * frames are posted to it. Returns the frames
     * withheld meanwhile ({@link #mayPost}), oldest first, which the caller posts next; empty
     * Optional if the record is gone (the connection closed, or its record was removed: the
     * caller closes the socket).
     */
    public Optional<List<String>> greeted(String userId, String connectionId) {
        return store.greet(userId, connectionId);
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
        // A record read while awaiting hello is minutes short of due (hello follows within
        // seconds or the connection is closed), so this never rewrites it as awaiting again.
        if (!refreshDue(c)) {
            return c;
        }
        Instant now = now();
        WebSocketConnection renewed = new WebSocketConnection(c.userId(), c.connectionId(), c.heldBy(),
                c.connectedAt(), now.plus(RECORD_LIFETIME), c.sessionId(), c.awaitingHello());
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
