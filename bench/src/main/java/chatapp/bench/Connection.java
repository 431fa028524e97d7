package chatapp.bench;

import io.github.bucket4j.Bucket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One real WebSocket of one user: handshake with a fresh ticket, the {@code hello} that opens
 * every connection, and a writer that sends queued frames in order no faster than the pacing
 * allows (the server closes a connection that sends more than 20 frames a second with 1008).
 * Frames received are handed to {@link Events} with their arrival time.
 */
final class Connection implements WebSocket.Listener {

    /** What the owner of connections hears. Called on the HTTP client's threads. */
    interface Events {
        void frame(Connection connection, String text, long arrivedNanos);

        /** The socket closed or failed; {@code code} is the close code, or -1 for an error. */
        default void closed(Connection connection, int code, String reason) {
        }

        /**
         * A frame queued with a tag ({@link #send(String, Object)}) was written to the socket at
         * {@code writtenNanos}.
         */
        default void written(Connection connection, Object tag, long writtenNanos) {
        }
    }

    /** A frame waiting for the writer, with what its sender wants to hear about it (null: nothing). */
    private record Outgoing(String frame, Object tag) {
    }

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    final Account account;
    final int index;
    private final Api api;
    private final Events events;
    private final Bucket pacing;
    private final LinkedBlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile CompletableFuture<String> hello;
    private volatile boolean open;
    private volatile boolean closing;
    private Thread writer;
    /** Where to connect without a ticket (the tool's warm-up against {@link StandInServer}); null: the server. */
    private volatile URI fixedUrl;
    /** Set by whoever reconnects this connection (at most one at a time). */
    final java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean();
    /** Lost (again) since the reconnecting thread last looked. */
    volatile boolean lostAgain;

    Connection(Api api, Account account, int index, Events events, double framesPerSecond) {
        this.api = api;
        this.account = account;
        this.index = index;
        this.events = events;
        long perSecond = Math.max(1, Math.round(framesPerSecond));
        this.pacing = Bucket.builder().addLimit(l -> l.capacity(40).refillGreedy(perSecond, Duration.ofSeconds(1))).build();
    }

    /**
     * Gets a ticket, opens the socket and waits for {@code hello}.
     *
     * @return the connectionId from {@code hello}
     * @throws Api.ApiException if the ticket is refused or the server is unreachable
     * @throws Exception if the handshake fails or no {@code hello} comes within 30 s
     */
    String open() throws Exception {
        URI url = fixedUrl != null ? fixedUrl : api.ticket(account);
        CompletableFuture<String> greeting = new CompletableFuture<>();
        hello = greeting;
        synchronized (partial) {
            partial.setLength(0);
        }
        WebSocket ws = api.webSockets().newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT).buildAsync(url, this)
                .get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        socket = ws;
        String connectionId = greeting.get(HANDSHAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        open = true;
        return connectionId;
    }

    /** Connects to {@code url} instead of the server (no ticket): the tool's own warm-up. */
    Connection towards(URI url) {
        this.fixedUrl = url;
        return this;
    }

    boolean isOpen() {
        return open;
    }

    /** Queues a frame; the writer sends it while the socket is open (and drops it otherwise). */
    void send(String frame) {
        outbox.add(new Outgoing(frame, null));
    }

    /**
     * As {@link #send(String)}; {@link Events#written} is told, with {@code tag}, when the frame is
     * on the socket (the tool's own send lag).
     */
    void send(String frame, Object tag) {
        outbox.add(new Outgoing(frame, tag));
    }

    /** Drops queued frames (after a disconnect they are sent again by whoever owns them). */
    void clearQueue() {
        outbox.clear();
    }

    /** Starts the writer thread (one virtual thread per connection). */
    void startWriter() {
        writer = Thread.ofVirtual().name("writer-" + index).start(this::write);
    }

    private void write() {
        try {
            while (!closing) {
                Outgoing frame = outbox.take();
                pacing.asBlocking().consume(1);
                WebSocket ws = socket;
                if (!open || ws == null) {
                    continue;
                }
                try {
                    ws.sendText(frame.frame(), true).get(30, TimeUnit.SECONDS);
                    if (frame.tag() != null) {
                        events.written(this, frame.tag(), System.nanoTime());
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the socket is going away; onClose/onError tell the owner
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Closes the socket normally and stops the writer. */
    CompletableFuture<?> close() {
        closing = true;
        open = false;
        if (writer != null) {
            writer.interrupt();
        }
        WebSocket ws = socket;
        if (ws == null) {
            return CompletableFuture.completedFuture(null);
        }
        return ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done")
                .orTimeout(5, TimeUnit.SECONDS)
                .handle((w, e) -> {
                    ws.abort();
                    return null;
                });
    }

    /** Closes the connections normally, all at once, waiting at most 10 s for each. */
    static void closeAll(java.util.Collection<Connection> connections) {
        java.util.List<CompletableFuture<?>> closing = new java.util.ArrayList<>();
        for (Connection c : connections) {
            closing.add(c.close());
        }
        for (CompletableFuture<?> f : closing) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // close() aborts the socket anyway
            }
        }
    }

    /** Drops the TCP connection without a close handshake. */
    void abort() {
        open = false;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public void onOpen(WebSocket ws) {
        socket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        long now = System.nanoTime();
        String text = null;
        synchronized (partial) {
            if (last && partial.isEmpty()) {
                text = data.toString();
            } else {
                partial.append(data);
                if (last) {
                    text = partial.toString();
                    partial.setLength(0);
                }
            }
        }
        if (text != null) {
            CompletableFuture<String> h = hello;
            ServerFrame greeting = h != null && !h.isDone() && text.contains("\"hello\"") ? helloIn(text) : null;
            if (greeting != null) {
                h.complete(greeting.connectionId() != null ? greeting.connectionId() : "");
            } else {
                events.frame(this, text, now);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (ws == socket) {
            open = false;
            failHello("closed " + statusCode + " " + reason);
            if (!closing) {
                events.closed(this, statusCode, reason);
            }
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        if (ws == socket || socket == null) {
            open = false;
            failHello(error.toString());
            if (!closing) {
                events.closed(this, -1, error.toString());
            }
        }
    }

    /** The frame if it is {@code hello}, else null (also when it is not JSON: the owner counts it). */
    private static ServerFrame helloIn(String text) {
        try {
            ServerFrame f = ServerFrame.parse(text);
            return f.type().equals("hello") ? f : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void failHello(String why) {
        CompletableFuture<String> h = hello;
        if (h != null && !h.isDone()) {
            h.completeExceptionally(new IllegalStateException("socket closed before hello: " + why));
        }
    }
}
