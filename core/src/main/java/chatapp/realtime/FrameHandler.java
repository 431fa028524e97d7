package chatapp.realtime;

import chatapp.chat.ChatService;
import chatapp.chat.Content;
import chatapp.chat.Sent;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a client frame means (API.md, "Real-time WebSocket"; docs/protocol.md), the one place for
 * both shapes: the built-in gateway and the API Gateway {@code $default} handler hand it each
 * text frame of a connection and keep only their transport (sockets, flood limits, close codes).
 *
 * <ul>
 *   <li>a frame over {@value #MAX_FRAME_BYTES} bytes of UTF-8: {@code error too_large},
 *       {@link Outcome#TOO_LARGE} (the transport then closes the connection);
 *   <li>one that is not what API.md allows: {@code error bad_frame} naming the problem,
 *       {@link Outcome#BAD_FRAME} (the connection stays open; the transport may count it);
 *   <li>{@code ping}: {@code pong}; {@code send}: the message is stored, then {@code ack};
 *       {@code read}: the messages are marked read; {@code delivered}: marked delivered; {@code typing}: the peer is told, at most
 *       once per conversation and connection per typing interval (the rest are dropped);
 *   <li>a refusal of the chat service ({@link ChatAppException}): {@code error} with its code and
 *       detail ({@code rate_limited} with {@code retryAfterMs}); any other failure: {@code error internal_error}, logged with the frame's type and
 *       connection only (never its content).
 * </ul>
 * An {@code error} answering a {@code send} carries its {@code clientMessageId}. Events the frame
 * causes leave out this connection ({@link RealtimeEvents}).
 */
public final class FrameHandler {

    private static final System.Logger log = System.getLogger(FrameHandler.class.getName());

    /** API.md: frames over 64 KiB (65,536 bytes of UTF-8) are refused. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** API.md: at most one {@code typing} per conversation and connection every 2 s reaches the peer. */
    public static final Duration TYPING_INTERVAL = Duration.ofSeconds(2);

    /** What the transport needs to know for its own connection policy. */
    public enum Outcome {
        /** Answered as API.md says (also by an {@code error} from the chat service). */
        HANDLED,
        /** Answered with {@code error bad_frame}; the connection stays open. */
        BAD_FRAME,
        /** Over {@value #MAX_FRAME_BYTES} bytes: answered with {@code error too_large}; close the connection. */
        TOO_LARGE
    }

    private final ChatService chat;
    private final RealtimeEvents events;
    private final Frames frames;
    private final TypingThrottle typing;

    /**
     * @param typingInterval at most one {@code typing} per conversation and connection per
     *     interval reaches the peer ({@link #TYPING_INTERVAL} by default)
     * @throws IllegalArgumentException if {@code typingInterval} is negative
     */
    public FrameHandler(ChatService chat, RealtimeEvents events, Frames frames, Duration typingInterval) {
        this(chat, events, frames, new TypingThrottle(typingInterval));
    }

    FrameHandler(ChatService chat, RealtimeEvents events, Frames frames, TypingThrottle typing) {
        this.chat = Objects.requireNonNull(chat);
        this.events = Objects.requireNonNull(events);
        this.frames = Objects.requireNonNull(frames);
        this.typing = Objects.requireNonNull(typing);
    }

    /**
     * Answers one text frame of {@code connection}. Returns once the frame's work is durable and
     * its events are handed to the fan-out; never throws for anything the client sent. (The API
     * Gateway shape: one frame per invocation.)
     *
     * @param connection who sent it (its user and connection id are used)
     * @param text the whole frame
     * @param reply how the transport sends a frame (JSON text) to this connection
     */
    public Outcome handle(WebSocketConnection connection, String text, Consumer<String> reply) {
        Answers answers = new Answers(1, reply);
        Outcome outcome = handle(connection, text, answers, () -> true);
        answers.awaitAnswered();
        return outcome;
    }

    /**
     * Handles one text frame of {@code connection} and returns without waiting for a
     * {@code send}'s write (a connection's pipelined sends, docs/protocol.md): the send is
     * checked and its write queued behind the connection's earlier ones, and its {@code ack} (or
     * {@code error}) goes to {@code answers} once the message is durable and its events are
     * handed to the fan-out. {@code answers} keeps every answer in frame order; while its window
     * of sends in flight is full, this waits for room. A send whose clientMessageId (in that
     * conversation) is in flight on this connection waits for it first, and then gets the same
     * ack as its original. Other frames are answered before this returns, in order behind the
     * sends in flight. Never throws for anything the client sent.
     *
     * @param answerBadFrame asked before a bad frame ({@link Outcome#BAD_FRAME}) is answered:
     *     false leaves it unanswered (the transport is closing the connection for it)
     */
    public Outcome handle(WebSocketConnection connection, String text, Answers answers, BooleanSupplier answerBadFrame) {
        if (utf8Longer(text, MAX_FRAME_BYTES)) {
            answers.answer(frames.encode(new ServerFrame.Failure(ErrorCode.TOO_LARGE.code(),
                    "frames are limited to 64 KiB", null)));
            return Outcome.TOO_LARGE;
        }
        ClientFrame frame;
        try {
            frame = frames.decode(text);
        } catch (Frames.BadFrame e) {
            if (answerBadFrame.getAsBoolean()) {
                answers.answer(frames.encode(new ServerFrame.Failure("bad_frame", e.getMessage(), e.clientMessageId())));
            }
            return Outcome.BAD_FRAME;
        }
        if (frame instanceof ClientFrame.Send s) {
            send(connection, s, answers);
            return Outcome.HANDLED;
        }
        String answer;
        try {
            answer = answer(connection, frame);
        } catch (RuntimeException e) {
            answer = failure(connection, frame, e);
        }
        if (answer != null) {
            answers.answer(answer);
        }
        return Outcome.HANDLED;
    }

    private void send(WebSocketConnection c, ClientFrame.Send s, Answers answers) {
        String key = s.conversationId() + ' ' + s.clientMessageId();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        for (CompletableFuture<?> earlier; (earlier = answers.inFlight(key, mine)) != null; ) {
            // The same send in flight: wait for it, so that this one replays it (one message, one ack).
            try {
                earlier.join();
            } catch (RuntimeException outcomeOnItsAnswer) {
                // its own answer says how it failed; this one tries again
            }
        }
        Answers.Entry place = answers.reserveSend();
        if (place == null) {
            mine.complete(null); // the connection is gone: this send is not made
            return;
        }
        CompletableFuture<Sent> sent;
        try {
            // Its events go out once the message is durable, without this connection; the ack after them.
            sent = chat.sendAsync(c.userId(), s.conversationId(), s.clientMessageId(),
                    new Content(s.contentType(), s.value(), s.caption()), s.replyTo(), c.connectionId(), answers.context());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((done, error) -> {
            String answer;
            try {
                answer = error == null ? frames.encode(new ServerFrame.Ack(s.clientMessageId(), done.message()))
                        : failure(c, s, unwrap(error));
            } catch (RuntimeException e) {
                answer = failure(c, s, e);
            }
            answers.complete(place, answer);
            mine.complete(null);
        });
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }

    /** The {@code error} frame for a frame that failed with {@code e}. */
    private String failure(WebSocketConnection connection, ClientFrame frame, RuntimeException e) {
        if (e instanceof ChatAppException refused) {
            // rate_limited carries its retry time, as REST's Retry-After does (rounded up to whole ms)
            Long retryAfterMs = refused.retryAfter() == null ? null
                    : Math.max(1, (refused.retryAfter().toNanos() + 999_999) / 1_000_000);
            return frames.encode(new ServerFrame.Failure(refused.code().code(), refused.detail(), clientMessageId(frame),
                    retryAfterMs));
        }
        log.log(System.Logger.Level.ERROR, "frame " + frame.getClass().getSimpleName() + " of connection "
                + connection.connectionId() + " failed", e);
        return frames.encode(new ServerFrame.Failure("internal_error",
                "an internal error occurred; it has been logged", clientMessageId(frame)));
    }

    /** The answer to a frame other than {@code send}, once its work is done; null for none. */
    private String answer(WebSocketConnection c, ClientFrame frame) {
        switch (frame) {
            case ClientFrame.Ping p -> {
                return frames.encode(new ServerFrame.Pong());
            }
            case ClientFrame.Send s -> throw new IllegalArgumentException("sends are pipelined");
            case ClientFrame.Read r -> chat.markRead(c.userId(), r.conversationId(), r.upToMessageId(), c.connectionId());
            case ClientFrame.Delivered d -> chat.markDelivered(c.userId(), d.conversationId(), d.upToMessageId(),
                    c.connectionId());
            case ClientFrame.Typing t -> {
                if (typing.allow(c.connectionId(), t.conversationId())) {
                    events.typing(c.userId(), t.conversationId());
                }
            }
        }
        return null;
    }

    private static String clientMessageId(ClientFrame frame) {
        return frame instanceof ClientFrame.Send s ? s.clientMessageId() : null;
    }

    /** Whether {@code s} takes more than {@code limit} bytes of UTF-8, counted without encoding it. */
    private static boolean utf8Longer(String s, long limit) {
        return s.length() * 3L > limit && utf8Length(s, limit) > limit;
    }

    /**
     * The bytes {@code s} takes in UTF-8, counted without encoding it (an unpaired surrogate
     * counts 3, as the encoder's replacement character); counting stops once past {@code limit}.
     * Transports that receive a frame in parts use it to enforce {@link #MAX_FRAME_BYTES}.
     */
    public static long utf8Length(CharSequence s, long limit) {
        long n = 0;
        for (int i = 0; i < s.length() && n <= limit; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
