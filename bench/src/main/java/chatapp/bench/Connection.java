package chatapp.bench;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One real WebSocket of one user: handshake with a fresh ticket, the {@code hello} that opens
 * every connection, and a writer that sends queued frames in order no faster than the pacing
 * allows (the server closes a connection that sends more than 20 frames a second with 1008).
 * Frames received are handed to {@link Events} with their arrival time.
 *
 * <p>The sockets are Netty's WebSocket client on one event loop thread shared by every connection
 * of the tool: a frame is read, decoded (its UTF-8 checked), parsed and recorded on that thread,
 * and a queued send is written by it, with no hand-off per frame. The JDK's
 * {@code java.net.http.WebSocket} cost the tool two to three times the CPU per message, on the
 * cores the server it measures runs on, and shared its selector with the tool's REST calls
 * (docs/decisions/0069-tool-websocket-client.md).
 */
final class Connection {

    /** What the owner of connections hears. Called on the event loop thread: it must not block. */
    interface Events {
        /**
         * A text frame arrived: its UTF-8 bytes (already checked to be UTF-8) are
         * {@code utf8[offset, offset + length)}, valid only during the call.
         */
        void frame(Connection connection, byte[] utf8, int offset, int length, long arrivedNanos);

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

    static {
        // Before any Netty class: no sun.misc.Unsafe (JDK 24+ warns at its first use, and will
        // remove it; heap buffers then, which Socket parses without a copy), and no leak tracking
        // (it records a stack trace for one buffer in 128: CPU on the server's cores for nothing,
        // since every buffer here is released by Netty's own handlers). Either may be set otherwise
        // with -D on the tool's command line (CHATAPP_BENCH_JAVA_OPTS).
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Server frames carry a message of up to 4,000 characters; room for any of them. */
    private static final int MAX_FRAME_BYTES = 1 << 20;

    /** The one event loop of every connection (a daemon thread: the tool's end is not held up by it). */
    private static final class Loop {
        static final EventLoopGroup GROUP = new NioEventLoopGroup(1, new DefaultThreadFactory("websockets", true));
        static final Bootstrap BOOTSTRAP = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    final Account account;
    final int index;
    private final Api api;
    private final Events events;
    private final Bucket pacing;
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    /** Whether a write of the outbox is queued or waiting on the event loop (at most one at a time). */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Runnable writeTask = this::write;
    private volatile Channel channel;
    /** The pipeline's end of {@link #channel}. */
    private volatile Socket current;
    private volatile boolean open;
    private volatile boolean closing;
    /** Where to connect without a ticket (the tool's warm-up against {@link StandInServer}); null: the server. */
    private volatile URI fixedUrl;
    /** Copy of a frame that is not in a heap buffer; used by the event loop thread only. */
    private byte[] scratch = new byte[0];
    /** Set by whoever reconnects this connection (at most one at a time). */
    final AtomicBoolean reconnecting = new AtomicBoolean();
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
        if (!"ws".equals(url.getScheme())) {
            throw new IllegalArgumentException(url.getScheme() + ":// is not supported by the load tool; measure the server over ws://");
        }
        CompletableFuture<String> greeting = new CompletableFuture<>();
        Socket socket = new Socket(greeting);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .version(WebSocketVersion.V13)
                .customHeaders(EmptyHttpHeaders.INSTANCE)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                // no Origin: a client that is not a browser sends none (the JDK's client did not either)
                .generateOriginHeader(false)
                // close frames come to Socket, which keeps their code for the owner and answers them
                .handleCloseFrames(false)
                // closing the channel is abort(): no close frame of Netty's own
                .sendCloseFrame(null)
                .withUTF8Validator(true)
                .build();
        ChannelFuture connecting = Loop.BOOTSTRAP.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME_BYTES), socket);
            }
        }).connect(url.getHost(), url.getPort() != -1 ? url.getPort() : 80);
        Channel ch = connecting.channel();
        current = socket;
        channel = ch;
        ch.closeFuture().addListener(f -> socket.ended(ch));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                socket.failed(ch, f.cause());
            }
        });
        try {
            String connectionId = greeting.get(HANDSHAKE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            open = true;
            return connectionId;
        } catch (Exception e) {
            ch.close();
            throw e;
        }
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
        send(frame, null);
    }

    /**
     * As {@link #send(String)}; {@link Events#written} is told, with {@code tag}, when the frame is
     * on the socket (the tool's own send lag).
     */
    void send(String frame, Object tag) {
        outbox.add(new Outgoing(frame, tag));
        if (writing.compareAndSet(false, true)) {
            Loop.GROUP.execute(writeTask);
        }
    }

    /** Drops queued frames (after a disconnect they are sent again by whoever owns them). */
    void clearQueue() {
        outbox.clear();
    }

    /** Kept for the owners' start-up order: the writer is the event loop, nothing to start. */
    void startWriter() {
    }

    /**
     * On the event loop: writes the queued frames in order as the pacing allows; when it allows no
     * more, comes back when the next frame may go.
     */
    private void write() {
        writing.set(false);
        Outgoing next;
        while ((next = outbox.peek()) != null) {
            Channel ch = channel;
            if (closing || !open || ch == null || !ch.isActive()) {
                outbox.poll(); // dropped: its owner sends it again after a reconnect
                continue;
            }
            ConsumptionProbe probe = pacing.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (writing.compareAndSet(false, true)) {
                    Loop.GROUP.schedule(writeTask, probe.getNanosToWaitForRefill(), TimeUnit.NANOSECONDS);
                }
                return;
            }
            outbox.poll();
            ByteBuf bytes = ByteBufUtil.writeUtf8(ch.alloc(), next.frame());
            ChannelFuture f = ch.writeAndFlush(new TextWebSocketFrame(bytes));
            Object tag = next.tag();
            if (tag != null) {
                if (f.isDone()) {
                    if (f.isSuccess()) {
                        events.written(this, tag, System.nanoTime());
                    }
                } else {
                    f.addListener(done -> {
                        if (done.isSuccess()) {
                            events.written(this, tag, System.nanoTime());
                        }
                    });
                }
            }
        }
    }

    /** Closes the socket normally (close frame, then the server's, at most 5 s) and stops writing. */
    CompletableFuture<?> close() {
        closing = true;
        open = false;
        Channel ch = channel;
        Socket socket = current;
        if (ch == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ch.closeFuture().addListener(f -> closed.complete(null));
        ch.eventLoop().execute(() -> socket.closeNormally(ch));
        return closed;
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
                // the channel is closed at the latest 5 s after the close frame
            }
        }
    }

    /** Drops the TCP connection without a close handshake (its end is not reported: the caller knows). */
    void abort() {
        open = false;
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    /** The frame if it is {@code hello}, else null (also when it is not JSON: the owner counts it). */
    private static ServerFrame helloIn(byte[] utf8, int offset, int length) {
        try {
            ServerFrame f = ServerFrame.parse(utf8, offset, length);
            return f.type().equals("hello") ? f : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The end of one socket's pipeline (a new one for each {@link #open()}): frames of the socket
     * that is this connection's now go to the owner; the end of it is told once.
     */
    private final class Socket extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final CompletableFuture<String> hello;
        private boolean closeSent;
        private int closeCode = -1;
        private String closeReason;
        private Throwable failure;
        private boolean ended;

        Socket(CompletableFuture<String> hello) {
            this.hello = hello;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                long now = System.nanoTime();
                ByteBuf content = frame.content();
                int length = content.readableBytes();
                byte[] utf8;
                int offset;
                if (content.hasArray()) {
                    utf8 = content.array();
                    offset = content.arrayOffset() + content.readerIndex();
                } else {
                    if (scratch.length < length) {
                        scratch = new byte[Math.max(length, 2 * scratch.length)];
                    }
                    content.getBytes(content.readerIndex(), scratch, 0, length);
                    utf8 = scratch;
                    offset = 0;
                }
                if (!hello.isDone()) {
                    ServerFrame greeting = helloIn(utf8, offset, length);
                    if (greeting != null) {
                        hello.complete(greeting.connectionId() != null ? greeting.connectionId() : "");
                        return;
                    }
                }
                if (ctx.channel() == channel) {
                    events.frame(Connection.this, utf8, offset, length, now);
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                closeReason = close.reasonText();
                if (closeSent) {
                    ctx.close(); // the answer to ours
                } else {
                    // answer the server's close, then end the TCP connection (RFC 6455 5.5.1)
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(closeCode == -1 ? 1000 : closeCode, null))
                            .addListener(f -> ctx.close());
                }
            }
            // binary frames: none in the protocol; pings are answered and pongs dropped by Netty
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }

        /** On the event loop: sends a close frame, and ends the TCP connection after the server's, or 5 s. */
        void closeNormally(Channel ch) {
            if (!ch.isActive() || closeSent) {
                ch.close();
                return;
            }
            closeSent = true;
            ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "bench done"));
            ch.eventLoop().schedule(() -> ch.close(), 5, TimeUnit.SECONDS);
        }

        /** The connect itself failed (refused, timed out). */
        void failed(Channel ch, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ended(ch);
        }

        /** The socket is gone (closed by either side, or failed): tells the owner once. */
        void ended(Channel ch) {
            if (ended) {
                return;
            }
            ended = true;
            String why = closeCode != -1 ? "closed " + closeCode + " " + closeReason
                    : failure != null ? failure.toString() : "connection closed without a close frame";
            if (!hello.isDone()) {
                hello.completeExceptionally(new IllegalStateException("socket closed before hello: " + why));
            }
            if (ch == channel) {
                open = false;
                if (!closing) {
                    events.closed(Connection.this, closeCode, closeCode != -1 ? closeReason
                            : failure != null ? failure.toString() : why);
                }
            }
        }
    }
}
