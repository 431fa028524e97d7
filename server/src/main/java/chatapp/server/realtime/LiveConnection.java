package chatapp.server.realtime;

import chatapp.realtime.Answers;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.WebSocketConnection;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open socket of the built-in gateway and what it needs: its record, a bounded outbound
 * queue, its rate limits and liveness.
 *
 * <p>Outbound frames never block the caller (a fan-out reaches many connections): they are
 * queued, and a virtual thread drains the queue while it is not empty, so a connection costs
 * no thread while idle. Past {@code outboundFrames} frames or {@code outboundBytes} bytes the
 * client is not keeping up: the queue is dropped and the socket closed (1013); the client
 * reconnects and catches up over REST.
 */
final class LiveConnection {

    private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

    /** Close code when a client does not read fast enough (RFC 6455 registry: "Try Again Later"). */
    static final CloseStatus SLOW_CONSUMER = new CloseStatus(1013, "too slow: outbound queue full");

    final WebSocketSession session;
    final String userId;
    final String connectionId;
    volatile WebSocketConnection record;
    /** Answers to this connection's frames, in frame order; set by the gateway before any frame arrives. */
    volatile Answers answers;

    private final int maxFrames;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<WebSocketMessage<?>> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** A drain is running (or held: true until {@link #start()}, so the hello goes out only then). */
    private boolean draining = true;
    private CloseStatus closeAfterDrain;
    private volatile boolean closing;
    /** Closing once the answers in flight are queued ({@link #closeAfterAnswers}): frames are no longer read. */
    private volatile boolean ending;

    private final Bucket frames;
    private final Bucket badFrames;

    /** System.nanoTime() of the last frame (of any kind) from the client. */
    private volatile long lastHeard = System.nanoTime();
    /** System.nanoTime() of an unanswered ping, 0 if none. */
    private volatile long pingSent;

    /** A text message being received in parts, null between messages. */
    private StringBuilder partial;
    private long partialBytes;
    /** Bytes of the binary frame being received (its parts are dropped as they come). */
    private long binaryBytes;

    LiveConnection(WebSocketSession session, WebSocketConnection record, RealtimeProperties limits) {
        this.session = session;
        this.record = record;
        this.userId = record.userId();
        this.connectionId = record.connectionId();
        this.maxFrames = limits.outboundFrames();
        this.maxBytes = limits.outboundBytes().toBytes();
        this.frames = Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(limits.frameBurst())
                .refillGreedy(limits.framesPerSecond(), Duration.ofSeconds(1))
                .build()).build();
        this.badFrames = Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(limits.badFramesPerMinute())
                .refillGreedy(limits.badFramesPerMinute(), Duration.ofMinutes(1))
                .build()).build();
    }

    /**
     * Starts sending what is queued. Until then frames only queue: the gateway queues the hello,
     * registers the connection for fan-out and then starts it, so that a client that has its
     * hello is sure to get every frame delivered after it.
     */
    void start() {
        boolean kick;
        lock.lock();
        try {
            kick = !queue.isEmpty() || closeAfterDrain != null;
            draining = kick;
        } finally {
            lock.unlock();
        }
        if (kick) {
            Thread.ofVirtual().name("ws-out-" + connectionId).start(this::drain);
        }
    }

    /** Frames waiting to be sent (a metric's gauge). */
    int queuedFrames() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Queues a text frame; false if the connection is closing or was just closed as too slow. */
    boolean send(String text) {
        return offer(new TextMessage(text), text.length());
    }

    /** Queues a ping (liveness check). */
    void ping() {
        pingSent = System.nanoTime();
        offer(new PingMessage(), 0);
    }

    /** Sends what is queued, then closes with {@code status} (shutdown, policy). */
    void closeAfterDrain(CloseStatus status) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            closeAfterDrain = status;
            if (!draining) {
                draining = true;
                Thread.ofVirtual().name("ws-out-" + connectionId).start(this::drain);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads no more frames and, once the answers to the frames read so far are queued (the acks
     * of its sends in flight), closes as {@link #closeAfterDrain} does.
     */
    void closeAfterAnswers(CloseStatus status) {
        ending = true;
        Answers a = answers;
        if (a == null) {
            closeAfterDrain(status);
        } else {
            a.afterPending(() -> closeAfterDrain(status));
        }
    }

    /** Drops what is queued and closes at once with {@code status} (slow or dead client). */
    void abort(CloseStatus status) {
        if (dropQueue()) {
            // Closing may block on a client that reads nothing (until the send timeout): never here.
            Thread.ofVirtual().name("ws-close-" + connectionId).start(() -> close(status));
        }
    }

    /** The socket is closed: drop what is queued, send nothing more (sends in flight still commit, unanswered). */
    void closed() {
        dropQueue();
        Answers a = answers;
        if (a != null) {
            a.close();
        }
    }

    /** Empties the queue and refuses more; false if that had already happened. */
    private boolean dropQueue() {
        lock.lock();
        try {
            boolean already = closing && closeAfterDrain == null && queue.isEmpty();
            closing = true;
            closeAfterDrain = null;
            queue.clear();
            queuedBytes = 0;
            return !already;
        } finally {
            lock.unlock();
        }
    }

    /** Closing, or about to once its answers are queued: read no more frames from it. */
    boolean closing() {
        return closing || ending;
    }

    private boolean offer(WebSocketMessage<?> message, long size) {
        boolean startDrain;
        boolean overflow = false;
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            if (queue.size() >= maxFrames || queuedBytes + size > maxBytes) {
                overflow = true;
                startDrain = false;
            } else {
                queue.add(message);
                queuedBytes += size;
                startDrain = !draining;
                draining = true;
            }
        } finally {
            lock.unlock();
        }
        if (overflow) {
            log.info("connection {} of user {} is too slow; closing it", connectionId, userId);
            abort(SLOW_CONSUMER);
            return false;
        }
        if (startDrain) {
            Thread.ofVirtual().name("ws-out-" + connectionId).start(this::drain);
        }
        return true;
    }

    private void drain() {
        while (true) {
            WebSocketMessage<?> next;
            CloseStatus finalClose = null;
            lock.lock();
            try {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    finalClose = closeAfterDrain;
                    closeAfterDrain = null;
                } else if (next instanceof TextMessage t) {
                    // what send() counted; getPayloadLength() would encode the whole text to UTF-8 again
                    queuedBytes -= t.getPayload().length();
                }
            } finally {
                lock.unlock();
            }
            if (next == null) {
                if (finalClose != null) {
                    close(finalClose);
                }
                return;
            }
            try {
                session.sendMessage(next);
            } catch (IOException | RuntimeException e) {
                // The socket is broken or the write timed out: the client reconnects and catches up.
                log.debug("write to connection {} failed: {}", connectionId, e.toString());
                abort(CloseStatus.SESSION_NOT_RELIABLE);
                lock.lock();
                try {
                    draining = false;
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    private void close(CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("closing connection {} failed: {}", connectionId, e.toString());
        }
    }

    /** Takes one frame from the flood allowance; false means the client floods. */
    boolean allowFrame() {
        return frames.tryConsume(1);
    }

    /** Takes one bad frame from its allowance; false means the client keeps sending them. */
    boolean allowBadFrame() {
        return badFrames.tryConsume(1);
    }

    /** Anything from the client proves it alive. */
    void heard() {
        lastHeard = System.nanoTime();
        pingSent = 0;
    }

    long lastHeard() {
        return lastHeard;
    }

    long pingSent() {
        return pingSent;
    }

    /**
     * Adds a part of a text message; returns the whole message when {@code last}, else null.
     *
     * @throws TooBig past {@code maxBytes} bytes of UTF-8 (the part is dropped)
     */
    String assemble(String part, boolean last, long maxMessageBytes) {
        long bytes = partialBytes + FrameHandler.utf8Length(part, maxMessageBytes);
        if (bytes > maxMessageBytes) {
            partial = null;
            partialBytes = 0;
            throw new TooBig();
        }
        if (last && partial == null) {
            return part;
        }
        if (partial == null) {
            partial = new StringBuilder(part.length() * 2);
        }
        partial.append(part);
        partialBytes = bytes;
        if (!last) {
            return null;
        }
        String whole = partial.toString();
        partial = null;
        partialBytes = 0;
        return whole;
    }

    /**
     * Counts a part of a binary frame, which is never kept.
     *
     * @return whether this was the frame's last part
     * @throws TooBig past {@code maxMessageBytes}, as for text frames
     */
    boolean binaryPart(int bytes, boolean last, long maxMessageBytes) {
        binaryBytes += bytes;
        if (binaryBytes > maxMessageBytes) {
            binaryBytes = 0;
            throw new TooBig();
        }
        if (last) {
            binaryBytes = 0;
        }
        return last;
    }

    /** A frame (text or binary) over the size limit. */
    static final class TooBig extends RuntimeException {
        TooBig() {
            super("frame too big", null, false, false);
        }
    }
}
