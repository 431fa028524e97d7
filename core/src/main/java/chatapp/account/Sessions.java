package chatapp.account;

import chatapp.core.ChatAppException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which sessions are live, and what ending one does (docs/security.md, "Sessions"). A session is
 * a refresh-token chain; its access tokens, WebSocket tickets and WebSockets name it, and all of
 * them end with it.
 *
 * <p>Ending a session revokes its chain in the {@link SessionStore}, marks it ended in this
 * process at once, and tells the {@code ended} listener ({@link SessionEnded}), which closes its
 * WebSockets in the shape that runs. Whether a session is live is asked on every authenticated
 * request, ticket and (built-in gateway) heartbeat, so the answer is remembered for
 * {@code livenessTtl}: another process that ended the session is noticed within that time
 * ({@link #LIVENESS_TTL}); this process notices at once. An ended session never comes back, so
 * that answer is kept.
 */
public final class Sessions {

    /**
     * How long a "live" answer is trusted before the store is asked again: how late another
     * server process (or Lambda) notices a session ended elsewhere. 5 s keeps the store's load
     * at one strongly consistent read per active session and process every 5 s.
     */
    public static final Duration LIVENESS_TTL = Duration.ofSeconds(5);
    /** A session's last-used time is written at most this often (the session list shows it). */
    public static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** Answers remembered; past this the memory starts over (the store answers again). */
    static final int REMEMBERED = 100_000;

    private record Known(boolean live, long checkedAtMs) {
    }

    private final SessionStore store;
    private final Clock clock;
    private final long ttlMs;
    private final Consumer<SessionEnded> ended;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> touchedAtMs = new ConcurrentHashMap<>();

    /**
     * @param livenessTtl how long a "live" answer is trusted ({@link #LIVENESS_TTL}; tests shorten it)
     * @param ended told of every session this process ends, after the store has it
     */
    public Sessions(SessionStore store, Clock clock, Duration livenessTtl, Consumer<SessionEnded> ended) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.ttlMs = livenessTtl.toMillis();
        this.ended = Objects.requireNonNull(ended);
    }

    /** Sessions with the default {@link #LIVENESS_TTL}, telling nobody when one ends. */
    public Sessions(SessionStore store, Clock clock) {
        this(store, clock, LIVENESS_TTL, e -> { });
    }

    /** The store (for {@link Accounts}, which creates and rotates chains). */
    SessionStore store() {
        return store;
    }

    /**
     * Whether the session is live: at once false if this process ended it; otherwise the store's
     * answer, at most {@link #LIVENESS_TTL} old. A null session id (a token or ticket from before
     * sessions were named) is not live.
     */
    public boolean live(String userId, String sessionId) {
        if (userId == null || sessionId == null) {
            return false;
        }
        String key = key(userId, sessionId);
        long now = clock.millis();
        Known k = known.get(key);
        if (k != null && (!k.live() || now - k.checkedAtMs() < ttlMs)) {
            return k.live();
        }
        boolean live = store.live(userId, sessionId, clock.instant());
        remember(key, new Known(live, now));
        return live;
    }

    /**
     * As {@link #live}, but asking the store whatever this process remembers of a live
     * session: for what happens once per connection (redeeming a WebSocket ticket), where the
     * answer must be exact in every process and one read costs little.
     */
    public boolean liveNow(String userId, String sessionId) {
        if (userId == null || sessionId == null) {
            return false;
        }
        String key = key(userId, sessionId);
        Known k = known.get(key);
        if (k != null && !k.live()) {
            return false;
        }
        boolean live = store.live(userId, sessionId, clock.instant());
        remember(key, new Known(live, clock.millis()));
        return live;
    }

    /** The session was used now (an authenticated request): its last-used time, written at most once a minute. */
    public void used(String userId, String sessionId) {
        if (userId == null || sessionId == null) {
            return;
        }
        long now = clock.millis();
        String key = key(userId, sessionId);
        Long last = touchedAtMs.get(key);
        if (last != null && now - last < TOUCH_EVERY.toMillis()) {
            return;
        }
        if (touchedAtMs.size() >= REMEMBERED) {
            touchedAtMs.clear();
        }
        touchedAtMs.put(key, now);
        store.touch(userId, sessionId, clock.instant());
    }

    /** The live sessions of {@code userId}, oldest first. */
    public List<Session> list(String userId) {
        return store.sessions(userId, clock.instant());
    }

    /**
     * Ends one session of {@code userId}.
     *
     * @throws ChatAppException {@code not_found} if it is not a live session of theirs
     */
    public void end(String userId, String sessionId) {
        if (sessionId == null || !store.revokeSession(userId, sessionId)) {
            throw ChatAppException.notFound("no such session");
        }
        ended(userId, sessionId);
    }

    /** Ends the session that holds this refresh token, if it is {@code userId}'s; its id if so. */
    Optional<String> endByToken(String userId, String tokenHash) {
        Optional<String> sessionId = store.revoke(tokenHash, userId, clock.instant());
        sessionId.ifPresent(id -> ended(userId, id));
        return sessionId;
    }

    /** Ends the session if it is live; false if it was not. */
    boolean endIfLive(String userId, String sessionId) {
        if (sessionId == null || !store.revokeSession(userId, sessionId)) {
            return false;
        }
        ended(userId, sessionId);
        return true;
    }

    /**
     * The store has already ended this session (a spent refresh token was presented again, so it
     * revoked the chain in the same write): end it here too, at once, sockets included.
     */
    void endedInStore(String userId, String sessionId) {
        if (userId != null && sessionId != null) {
            ended(userId, sessionId);
        }
    }

    /** Ends every session of {@code userId} except {@code keepSessionId} (null: all); the ended ids. */
    public List<String> endOthers(String userId, String keepSessionId) {
        List<String> ids = store.revokeOthers(userId, keepSessionId);
        ids.forEach(id -> ended(userId, id));
        return ids;
    }

    private void ended(String userId, String sessionId) {
        remember(key(userId, sessionId), new Known(false, clock.millis()));
        ended.accept(new SessionEnded(userId, sessionId));
    }

    private void remember(String key, Known k) {
        if (known.size() >= REMEMBERED) {
            known.clear();
        }
        known.put(key, k);
    }

    private static String key(String userId, String sessionId) {
        return userId + ' ' + sessionId;
    }
}
