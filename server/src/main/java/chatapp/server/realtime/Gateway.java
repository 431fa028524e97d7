package chatapp.server.realtime;

import chatapp.account.Sessions;
import chatapp.realtime.Answers;
import chatapp.realtime.CloseReason;
import chatapp.realtime.Connections;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.Frames;
import chatapp.realtime.RealtimeEvents;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.Ticket;
import chatapp.realtime.WebSocketConnection;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import chatapp.server.operations.RequestIds;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The built-in WebSocket gateway at {@value #PATH} (API.md, "Real-time WebSocket"): records
 * each connection, greets it with {@code hello}, hands its frames to {@link FrameHandler} (what
 * a frame means is decided there, for both shapes), keeps it alive with pings, enforces the
 * transport's limits ({@link RealtimeProperties}) and closes everything with 1001 on shutdown.
 *
 * <p>A binary frame is a bad frame like malformed text: {@code error bad_frame}, the connection
 * stays open. Close codes: 1008 a flood of frames or of bad frames; 1009 a frame
 * over {@value #MAX_FRAME_BYTES} bytes; 1013 a client too slow to read; 1001 a dead client (no
 * answer to ping) or the server shutting down; 4401 the connection's session ended (at once when
 * this process ended it; else noticed by the session check every second, through
 * {@link Sessions#live}, within {@link Sessions#LIVENESS_TTL}); 4429 the user's oldest connection
 * when a new one opens past the per-user cap. Tomcat reads sockets without a thread per
 * connection and calls this on virtual threads.
 *
 * <p>A connection's sends are pipelined (docs/protocol.md): a {@code send} frame returns once its
 * write is queued, and the connection's {@link Answers} queue its ack, and every other answer,
 * in frame order, with at most {@link Answers#WINDOW} sends in flight (then the reading of that
 * connection waits). A close for a flood, bad frames, a frame too big or shutdown goes out after
 * the answers to the frames already read; nothing read after that decision is handled.
 */
final class Gateway extends AbstractWebSocketHandler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    static final String PATH = "/ws";
    /** API.md: frames over 64 KiB are refused (closed while they arrive, before they are whole). */
    static final int MAX_FRAME_BYTES = FrameHandler.MAX_FRAME_BYTES;
    static final CloseStatus FLOOD = CloseStatus.POLICY_VIOLATION.withReason("too many frames");
    static final CloseStatus BAD_FRAMES = CloseStatus.POLICY_VIOLATION.withReason("too many bad frames");
    static final CloseStatus TOO_BIG = CloseStatus.TOO_BIG_TO_PROCESS.withReason("frames are limited to 64 KiB");
    static final CloseStatus DEAD = CloseStatus.GOING_AWAY.withReason("no answer to ping");
    static final CloseStatus SHUTDOWN = CloseStatus.GOING_AWAY.withReason("server shutting down");

    /** How often the sessions of open connections are checked (each answer is cached, {@link Sessions#LIVENESS_TTL}). */
    static final java.time.Duration SESSION_CHECK = java.time.Duration.ofSeconds(1);

    /** Tomcat's per-session limit on one blocking write, in milliseconds. */
    private static final String TOMCAT_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final String LIVE = Gateway.class.getName() + ".live";

    private final Connections connections;
    private final RealtimeEvents events;
    private final BuiltinFanOut fanOut;
    private final Frames frames;
    private final FrameHandler frameHandler;
    private final RealtimeProperties limits;
    private final int socketsPerUser;
    private final Sessions sessions;
    private final Clock clock;
    private final String node;
    private final RealtimeMeters meters;

    private volatile boolean running;
    private ScheduledExecutorService heartbeat;
    /** Its own thread: a slow store must not hold up pings. */
    private ScheduledExecutorService sessionCheck;

    Gateway(Connections connections, RealtimeEvents events, BuiltinFanOut fanOut, Frames frames,
            FrameHandler frameHandler, RealtimeProperties limits, int socketsPerUser, Sessions sessions, Clock clock,
            String node, RealtimeMeters meters) {
        this.meters = meters;
        this.connections = connections;
        this.events = events;
        this.fanOut = fanOut;
        this.frames = frames;
        this.frameHandler = frameHandler;
        this.limits = limits;
        this.socketsPerUser = socketsPerUser;
        this.sessions = sessions;
        this.clock = clock;
        this.node = node;
    }

    @Override
    public boolean supportsPartialMessages() {
        // Tomcat then keeps a small receive buffer per connection and hands over long frames in
        // parts, which this class assembles up to MAX_FRAME_BYTES.
        return true;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        String userId = (String) session.getAttributes().get(HandshakeRules.USER_ID);
        if (!running || userId == null) {
            session.close(SHUTDOWN);
            return;
        }
        if (session instanceof NativeWebSocketSession n
                && n.getNativeSession() instanceof jakarta.websocket.Session tomcat) {
            tomcat.getUserProperties().put(TOMCAT_SEND_TIMEOUT, limits.sendTimeout().toMillis());
        }
        WebSocketConnection record;
        Ticket ticket = session.getAttributes().get(HandshakeRules.TICKET) instanceof Ticket t ? t
                : new Ticket(null, userId, null);
        try {
            record = connections.open(ticket, null, node);
        } catch (RuntimeException e) {
            log.error("cannot record a connection of user {}", userId, e);
            session.close(CloseStatus.SERVICE_OVERLOAD.withReason("try again later"));
            return;
        }
        LiveConnection c = new LiveConnection(session, record, limits);
        c.answers = new Answers(Answers.WINDOW, answer -> {
            meters.answered(answer);
            c.send(answer);
        }, Gateway::requestIdContext);
        session.getAttributes().put(LIVE, c);
        c.send(frames.encode(new ServerFrame.Hello(userId, record.connectionId(), clock.instant())));
        // Registered before the snapshot of who is online, so that a peer coming online meanwhile
        // is not missed (at worst it is reported twice).
        boolean first = fanOut.add(c);
        c.start(); // the hello goes out only now that fan-out reaches this connection
        if (first) {
            presence(userId, true);
        }
        try {
            events.overCap(connections.beyondCap(record, socketsPerUser));
        } catch (RuntimeException e) {
            log.warn("cannot apply the connection cap of user {}: {}", userId, e.toString());
        }
        try {
            for (ServerFrame presence : events.onlinePeers(userId, fanOut::onlineSince)) {
                c.send(frames.encode(presence));
            }
        } catch (RuntimeException e) {
            log.warn("cannot tell connection {} who is online: {}", record.connectionId(), e.toString());
        }
    }

    private void presence(String userId, boolean online) {
        try {
            events.presence(userId, online, clock.instant());
        } catch (RuntimeException e) {
            log.warn("cannot tell the peers of user {} that they are {}: {}", userId, online ? "online" : "offline",
                    e.toString());
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        LiveConnection c = live(session);
        if (c == null || c.closing()) {
            return;
        }
        c.heard();
        String text;
        try {
            text = c.assemble(message.getPayload(), message.isLast(), MAX_FRAME_BYTES);
        } catch (LiveConnection.TooBig e) {
            c.closeAfterAnswers(TOO_BIG);
            return;
        }
        if (text == null) {
            return;
        }
        if (!c.allowFrame()) {
            log.info("connection {} of user {} floods; closing it", c.connectionId, c.userId);
            c.closeAfterAnswers(FLOOD);
            return;
        }
        long start = System.nanoTime();
        // The request id follows the frame to its write and fan-out in the logs (requestIdContext:
        // also on the thread that completes the write).
        MDC.put(RequestIds.MDC_KEY, RequestIds.fresh());
        FrameHandler.Outcome outcome;
        try {
            // A send returns once its write is queued: its ack follows in frame order (Answers). A
            // bad frame over the allowance closes the connection unanswered.
            outcome = frameHandler.handle(c.record, text, c.answers, () -> !overBadFrameAllowance(c));
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        if (outcome == FrameHandler.Outcome.TOO_LARGE) {
            c.closeAfterAnswers(TOO_BIG);
        }
        c.answers.afterPending(() -> meters.handled(start));
    }

    /**
     * Runs the work after a send's commit in the request id of its frame, taken now (on the
     * frame's thread); the thread that completes the write has its own context back after.
     */
    private static Executor requestIdContext() {
        String id = MDC.get(RequestIds.MDC_KEY);
        if (id == null) {
            return Runnable::run;
        }
        return work -> {
            String before = MDC.get(RequestIds.MDC_KEY);
            MDC.put(RequestIds.MDC_KEY, id);
            try {
                work.run();
            } finally {
                if (before == null) {
                    MDC.remove(RequestIds.MDC_KEY);
                } else {
                    MDC.put(RequestIds.MDC_KEY, before);
                }
            }
        };
    }

    /** Takes a bad frame from the connection's allowance; true (and closing 1008) once it is spent. */
    private boolean overBadFrameAllowance(LiveConnection c) {
        if (c.allowBadFrame()) {
            return false;
        }
        log.info("connection {} of user {} keeps sending bad frames; closing it", c.connectionId, c.userId);
        c.closeAfterAnswers(BAD_FRAMES);
        return true;
    }

    /**
     * API.md: every frame is a JSON text object, and a malformed frame gets {@code error bad_frame}
     * with the connection kept; a binary frame is one more such frame (counted against the same
     * allowances). Its bytes are dropped as they arrive.
     */
    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        LiveConnection c = live(session);
        if (c == null || c.closing()) {
            return;
        }
        c.heard();
        try {
            if (!c.binaryPart(message.getPayloadLength(), message.isLast(), MAX_FRAME_BYTES)) {
                return;
            }
        } catch (LiveConnection.TooBig e) {
            c.closeAfterAnswers(TOO_BIG);
            return;
        }
        if (!c.allowFrame()) {
            log.info("connection {} of user {} floods; closing it", c.connectionId, c.userId);
            c.closeAfterAnswers(FLOOD);
            return;
        }
        if (!overBadFrameAllowance(c)) {
            c.answers.answer(frames.encode(new ServerFrame.Failure("bad_frame", "frames are JSON text; binary frames are not accepted",
                    null)));
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        LiveConnection c = live(session);
        if (c != null) {
            c.heard();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        LiveConnection c = live(session);
        log.debug("transport error on connection {}: {}", c == null ? "?" : c.connectionId, exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        LiveConnection c = live(session);
        if (c == null) {
            return;
        }
        c.closed();
        if (fanOut.remove(c)) {
            presence(c.userId, false);
        }
        try {
            connections.close(c.record);
        } catch (RuntimeException e) {
            log.warn("cannot remove the record of connection {} (it expires by itself): {}", c.connectionId, e.toString());
        }
    }

    private static LiveConnection live(WebSocketSession session) {
        return (LiveConnection) session.getAttributes().get(LIVE);
    }

    /**
     * Closes (4401) the connections of sessions that have ended, whichever process ended them:
     * asks {@link Sessions#live} once per session, whose answer is at most
     * {@link Sessions#LIVENESS_TTL} old.
     */
    void checkSessions() {
        Map<String, Boolean> live = new HashMap<>();
        fanOut.forEach(c -> {
            String sessionId = c.record.sessionId();
            if (sessionId == null || c.closing()) {
                return;
            }
            boolean isLive;
            try {
                isLive = live.computeIfAbsent(c.userId + ' ' + sessionId, k -> sessions.live(c.userId, sessionId));
            } catch (RuntimeException e) {
                log.warn("cannot check the session of connection {}: {}", c.connectionId, e.toString());
                return; // the store is unreachable: check again next time
            }
            if (!isLive) {
                log.info("the session of connection {} of user {} has ended; closing it", c.connectionId, c.userId);
                c.closeAfterDrain(BuiltinFanOut.status(CloseReason.SESSION_ENDED));
            }
        });
    }

    /** Pings connections that went quiet, drops those that stay quiet, refreshes records. */
    void beat() {
        long now = System.nanoTime();
        long interval = limits.pingInterval().toNanos();
        fanOut.forEach(c -> {
            if (c.closing()) {
                return;
            }
            long pingSent = c.pingSent();
            if (pingSent != 0 && now - pingSent > interval) {
                log.info("connection {} of user {} does not answer pings; dropping it", c.connectionId, c.userId);
                c.abort(DEAD);
            } else if (pingSent == 0 && now - c.lastHeard() >= interval) {
                c.ping();
            }
            if (connections.refreshDue(c.record)) {
                Thread.ofVirtual().start(() -> {
                    try {
                        c.record = connections.refresh(c.record);
                    } catch (RuntimeException e) {
                        log.warn("cannot refresh the record of connection {}: {}", c.connectionId, e.toString());
                    }
                });
            }
        });
    }

    @Override
    public void start() {
        long tick = Math.max(50, limits.pingInterval().toMillis() / 4);
        heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("websocket-heartbeat").daemon(true).factory());
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                log.error("heartbeat failed", e);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        sessionCheck = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("websocket-session-check").daemon(true).factory());
        sessionCheck.scheduleWithFixedDelay(() -> {
            try {
                checkSessions();
            } catch (RuntimeException e) {
                log.error("session check failed", e);
            }
        }, SESSION_CHECK.toMillis(), SESSION_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Closes every connection with 1001 after sending what is queued, waiting a few seconds. */
    @Override
    public void stop() {
        running = false;
        if (sessionCheck != null) {
            sessionCheck.shutdownNow();
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        fanOut.forEach(c -> c.closeAfterAnswers(SHUTDOWN)); // the acks of sends in flight go out first
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fanOut.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Open connections on this node. */
    int connectionCount() {
        return fanOut.size();
    }
}
