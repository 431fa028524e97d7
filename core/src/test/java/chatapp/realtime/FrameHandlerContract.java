package chatapp.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What each client frame means ({@link FrameHandler}, API.md "Real-time WebSocket"), run through a
 * real {@link ChatService} on real stores: each adapter extends this class. Frames go out through
 * {@link Sockets}, a fan-out over the store's connection records that keeps each connection's
 * frames in memory (what a transport would put on the socket), so the test sees exactly who
 * hears what. The typing throttle's clock is moved by hand.
 */
public abstract class FrameHandlerContract {

    /** The chat store under test. */
    protected abstract ChatStore chatStore();

    /** The same store's accounts. */
    protected abstract UserStore users();

    /** The same store's connection records. */
    protected abstract ConnectionStore connectionStore();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private Sockets sockets;
    private ChatService chat;
    private FrameHandler handler;
    private Connections connections;

    private User parent;
    private User therapist;
    private String conversationId;
    private WebSocketConnection parentPhone;
    private WebSocketConnection parentLaptop;
    private WebSocketConnection therapistPhone;
    private WebSocketConnection therapistLaptop;

    /** Logged by {@link FrameHandler} (System.Logger, which reaches java.util.logging here); held, as loggers are weakly kept. */
    private final Logger frameHandlerLog = Logger.getLogger(FrameHandler.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void wire() {
        connections = new Connections(connectionStore(), Clock.systemUTC());
        sockets = new Sockets(connections);
        RealtimeEvents[] events = new RealtimeEvents[1];
        chat = new ChatService(chatStore(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                Clock.systemUTC(), event -> events[0].on(event));
        events[0] = new RealtimeEvents(sockets, chat);
        handler = new FrameHandler(chat, events[0], new Frames(),
                new TypingThrottle(FrameHandler.TYPING_INTERVAL, nanos::get));

        parent = user(UserType.PARENT);
        therapist = user(UserType.THERAPIST);
        conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.accept(therapist.userId(), conversationId); // consent: typing and reads flow once accepted
        parentPhone = connections.open(parent.userId(), "test");
        parentLaptop = connections.open(parent.userId(), "test");
        therapistPhone = connections.open(therapist.userId(), "test");
        therapistLaptop = connections.open(therapist.userId(), "test");
        frameHandlerLog.addHandler(capture);
    }

    @AfterEach
    void unhook() {
        frameHandlerLog.removeHandler(capture);
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    /** What one frame got: the handler's outcome and the frames it answered with. */
    private record Answer(FrameHandler.Outcome outcome, List<JsonNode> replies) {
        JsonNode only() {
            assertThat(replies).hasSize(1);
            return replies.getFirst();
        }
    }

    private Answer frame(WebSocketConnection c, String text) {
        List<JsonNode> replies = new ArrayList<>();
        FrameHandler.Outcome outcome = handler.handle(c, text, reply -> replies.add(JSON.readTree(reply)));
        return new Answer(outcome, replies);
    }

    private static String send(String conversationId, String clientMessageId, String text) {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "send").put("clientMessageId", clientMessageId)
                .put("conversationId", conversationId)
                .set("content", JSON.createObjectNode().put("contentType", "text").put("value", text)));
    }

    private String typing(String conversation) {
        return "{\"type\":\"typing\",\"conversationId\":\"" + conversation + "\"}";
    }

    @Test
    void pingIsAnsweredWithPong() {
        Answer a = frame(parentPhone, "{\"type\":\"ping\"}");

        assertThat(a.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(a.only().path("type").asString()).isEqualTo("pong");
        assertThat(sockets.all()).as("nothing fans out").isEmpty();
    }

    @Test
    void sendIsStoredAckedAndFannedOutToAllButTheSendingConnection() {
        Answer a = frame(parentPhone, send(conversationId, "c-1", "See you at 4"));

        assertThat(a.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        JsonNode ack = a.only();
        assertThat(ack.path("type").asString()).isEqualTo("ack");
        assertThat(ack.path("clientMessageId").asString()).isEqualTo("c-1");
        JsonNode message = ack.path("message");
        assertThat(message.path("senderId").asString()).isEqualTo(parent.userId());
        assertThat(message.path("recipientId").asString()).isEqualTo(therapist.userId());
        assertThat(message.path("content").path("value").asString()).isEqualTo("See you at 4");
        String messageId = message.path("messageId").asString();
        assertThat(chat.history(therapist.userId(), conversationId, null, null, null).items())
                .singleElement().satisfies(m -> assertThat(m.messageId()).isEqualTo(messageId));

        for (WebSocketConnection c : List.of(therapistPhone, therapistLaptop, parentLaptop)) {
            assertThat(sockets.of(c)).as(c.connectionId()).singleElement().satisfies(f -> {
                assertThat(f.path("type").asString()).isEqualTo("message");
                assertThat(f.path("message")).isEqualTo(message);
            });
        }
        assertThat(sockets.of(parentPhone)).as("the sending connection has its ack instead").isEmpty();

        // A replay is acked with the original and fans out nothing.
        sockets.clear();
        Answer replay = frame(parentLaptop, send(conversationId, "c-1", "See you at 4"));
        assertThat(replay.only().path("type").asString()).isEqualTo("ack");
        assertThat(replay.only().path("message")).isEqualTo(message);
        assertThat(sockets.all()).isEmpty();
    }

    @Test
    void readMarksTheMessagesAndTellsThePeerAndTheReadersOtherConnections() {
        String messageId = frame(parentPhone, send(conversationId, "c-2", "hello")).only().path("message")
                .path("messageId").asString();
        sockets.clear();

        Answer a = frame(therapistPhone, "{\"type\":\"read\",\"conversationId\":\"" + conversationId
                + "\",\"upToMessageId\":\"" + messageId + "\"}");

        assertThat(a.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(a.replies()).as("a read is not answered").isEmpty();
        assertThat(chat.history(parent.userId(), conversationId, null, null, null).items().getFirst().readAt()).isNotNull();
        for (WebSocketConnection c : List.of(parentPhone, parentLaptop, therapistLaptop)) {
            assertThat(sockets.of(c)).as(c.connectionId()).singleElement().satisfies(f -> {
                assertThat(f.path("type").asString()).isEqualTo("read");
                assertThat(f.path("readerId").asString()).isEqualTo(therapist.userId());
                assertThat(f.path("upToMessageId").asString()).isEqualTo(messageId);
            });
        }
        assertThat(sockets.of(therapistPhone)).as("the reading connection").isEmpty();
    }

    @Test
    void typingReachesThePeerAtMostOncePerIntervalPerConnectionAndConversation() {
        Answer a = frame(parentPhone, typing(conversationId));
        assertThat(a.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(a.replies()).isEmpty();
        assertThat(sockets.of(therapistPhone)).singleElement().satisfies(f -> {
            assertThat(f.path("type").asString()).isEqualTo("typing");
            assertThat(f.path("conversationId").asString()).isEqualTo(conversationId);
            assertThat(f.path("userId").asString()).isEqualTo(parent.userId());
        });
        assertThat(sockets.of(therapistLaptop)).hasSize(1);
        assertThat(sockets.of(parentLaptop)).as("typing goes to the peer only").isEmpty();

        // Within the interval: dropped silently.
        nanos.addAndGet(FrameHandler.TYPING_INTERVAL.toNanos() - 1);
        assertThat(frame(parentPhone, typing(conversationId)).replies()).isEmpty();
        assertThat(sockets.of(therapistPhone)).hasSize(1);

        // Another connection of the same user is throttled on its own.
        frame(parentLaptop, typing(conversationId));
        assertThat(sockets.of(therapistPhone)).hasSize(2);

        // Another conversation of the same connection too.
        User other = user(UserType.THERAPIST);
        String otherConversation = chat.open(parent.userId(), other.userId()).conversation().conversationId();
        chat.accept(other.userId(), otherConversation);
        WebSocketConnection otherPhone = connections.open(other.userId(), "test");
        frame(parentPhone, typing(otherConversation));
        assertThat(sockets.of(otherPhone)).hasSize(1);

        // Once the interval has passed, the next one goes out.
        nanos.addAndGet(1);
        frame(parentPhone, typing(conversationId));
        assertThat(sockets.of(therapistPhone)).hasSize(3);
    }

    @Test
    void framesOverSixtyFourKibAreRefusedAsTooLarge() {
        String prefix = "{\"type\":\"ping\",\"pad\":\"";
        String suffix = "\"}";
        // Two-byte characters: the limit is in bytes of UTF-8, not characters.
        String pad = "é".repeat((FrameHandler.MAX_FRAME_BYTES - prefix.length() - suffix.length()) / 2);
        assertThat((prefix + pad + suffix).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSize(FrameHandler.MAX_FRAME_BYTES);

        Answer exact = frame(parentPhone, prefix + pad + suffix);
        assertThat(exact.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(exact.only().path("type").asString()).isEqualTo("pong");

        Answer over = frame(parentPhone, prefix + pad + "x" + suffix);
        assertThat(over.outcome()).isEqualTo(FrameHandler.Outcome.TOO_LARGE);
        assertThat(over.only().path("type").asString()).isEqualTo("error");
        assertThat(over.only().path("code").asString()).isEqualTo("too_large");

        Answer send = frame(parentPhone, send(conversationId, "c-big", "x".repeat(FrameHandler.MAX_FRAME_BYTES)));
        assertThat(send.outcome()).isEqualTo(FrameHandler.Outcome.TOO_LARGE);
        assertThat(chat.history(parent.userId(), conversationId, null, null, null).items()).as("nothing stored").isEmpty();
    }

    @Test
    void badFramesGetBadFrameNamingTheProblem() {
        Map<String, String> bad = Map.of(
                "not json", "not valid JSON",
                "[1,2]", "object",
                "{\"type\":\"dance\"}", "dance",
                "{\"kind\":\"ping\"}", "type",
                "{\"type\":\"typing\"}", "conversationId",
                "{\"type\":\"ping\",\"type\":\"pong\"}", "twice");
        bad.forEach((text, named) -> {
            Answer a = frame(parentPhone, text);
            assertThat(a.outcome()).as(text).isEqualTo(FrameHandler.Outcome.BAD_FRAME);
            assertThat(a.only().path("code").asString()).as(text).isEqualTo("bad_frame");
            assertThat(a.only().path("detail").asString()).as(text).contains(named);
            assertThat(a.only().has("clientMessageId")).as(text).isFalse();
        });

        Answer badSend = frame(parentPhone, "{\"type\":\"send\",\"clientMessageId\":\"c-3\",\"conversationId\":\""
                + conversationId + "\",\"content\":{\"contentType\":\"text\",\"value\":5}}");
        assertThat(badSend.outcome()).isEqualTo(FrameHandler.Outcome.BAD_FRAME);
        assertThat(badSend.only().path("clientMessageId").asString()).isEqualTo("c-3");
        assertThat(sockets.all()).isEmpty();
    }

    @Test
    void refusalsOfTheChatServiceAreErrorsWithTheirCodeAndTheSendsClientMessageId() {
        Answer blank = frame(parentPhone, send(conversationId, "c-4", "   "));
        assertThat(blank.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(blank.only().path("type").asString()).isEqualTo("error");
        assertThat(blank.only().path("code").asString()).isEqualTo("validation_failed");
        assertThat(blank.only().path("detail").asString()).isNotBlank();
        assertThat(blank.only().path("clientMessageId").asString()).isEqualTo("c-4");

        User stranger = user(UserType.PARENT);
        WebSocketConnection strangers = connections.open(stranger.userId(), "test");
        Answer intrude = frame(strangers, send(conversationId, "s-1", "let me in"));
        assertThat(intrude.only().path("code").asString()).isEqualTo("not_found");
        assertThat(intrude.only().path("clientMessageId").asString()).isEqualTo("s-1");

        Answer peek = frame(strangers, typing(conversationId));
        assertThat(peek.only().path("code").asString()).isEqualTo("not_found");
        assertThat(peek.only().has("clientMessageId")).isFalse();

        Answer read = frame(therapistPhone, "{\"type\":\"read\",\"conversationId\":\"" + conversationId
                + "\",\"upToMessageId\":\"nope\"}");
        assertThat(read.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(read.only().path("code").asString()).isEqualTo("validation_failed");
        assertThat(read.only().has("clientMessageId")).isFalse();

        assertThat(sockets.all()).isEmpty();
        assertThat(chat.history(parent.userId(), conversationId, null, null, null).items()).isEmpty();
    }

    @Test
    void anyOtherFailureIsAnInternalErrorLoggedWithoutTheFramesContent() {
        sockets.failing = true;

        Answer typing = frame(parentPhone, typing(conversationId));
        assertThat(typing.outcome()).isEqualTo(FrameHandler.Outcome.HANDLED);
        assertThat(typing.only().path("code").asString()).isEqualTo("internal_error");
        assertThat(typing.only().has("clientMessageId")).isFalse();

        Answer send = frame(parentPhone, send(conversationId, "c-5", "a private note about Sam"));
        assertThat(send.only().path("code").asString()).isEqualTo("internal_error");
        assertThat(send.only().path("clientMessageId").asString()).isEqualTo("c-5");
        assertThat(send.only().path("detail").asString()).doesNotContain("Sam");

        assertThat(logged).hasSize(2).allSatisfy(r -> {
            assertThat(r.getMessage()).contains(parentPhone.connectionId()).doesNotContain("Sam");
            assertThat(r.getThrown()).isNotNull();
        });
    }

    /**
     * Whether the store queues writes ({@link ChatStore#sendAsync} returns before the write is
     * durable), so that a connection's sends are really in flight together; false when its
     * writes complete before returning (the order then holds trivially).
     */
    protected boolean queuesWrites() {
        return false;
    }

    /** How many sends {@link #pipelinedSendsAreStoredAndAckedInFrameOrder} makes on one connection. */
    protected int pipelinedSends() {
        return 500;
    }

    /**
     * docs/protocol.md: a connection's sends are pipelined ({@link Answers#WINDOW} in flight), yet
     * stored in frame order and acked in frame order, each ack after its message is durable; the
     * same clientMessageId twice in flight stores one message and both get the same ack; nothing
     * acked is missing from history, and the peer hears of the messages in commit order.
     */
    @Test
    void pipelinedSendsAreStoredAndAckedInFrameOrder() {
        int n = pipelinedSends();
        List<JsonNode> replies = new CopyOnWriteArrayList<>();
        AtomicLong mostInFlight = new AtomicLong();
        Answers[] answers = new Answers[1];
        answers[0] = new Answers(Answers.WINDOW, reply -> {
            mostInFlight.accumulateAndGet(answers[0].sendsInFlight(), Math::max);
            replies.add(JSON.readTree(reply));
        });
        List<String> frameIds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // every 25th frame repeats the one before it while that one is (or may be) in flight
            String cmid = i % 25 == 24 ? frameIds.getLast() : "p-" + i;
            frameIds.add(cmid);
            FrameHandler.Outcome o = handler.handle(parentPhone, send(conversationId, cmid, "message " + cmid), answers[0],
                    () -> true);
            assertThat(o).isEqualTo(FrameHandler.Outcome.HANDLED);
        }
        answers[0].awaitAnswered();

        assertThat(mostInFlight.get()).as("never more than the window in flight").isLessThanOrEqualTo(Answers.WINDOW);
        if (queuesWrites()) {
            assertThat(mostInFlight.get()).as("sends were in flight together").isGreaterThan(1);
        }
        assertThat(replies).as("one answer per frame").hasSize(n);
        Map<String, JsonNode> ackOf = new java.util.HashMap<>();
        String previous = "";
        for (int i = 0; i < n; i++) {
            JsonNode r = replies.get(i);
            assertThat(r.path("type").asString()).as("answer %d", i).isEqualTo("ack");
            assertThat(r.path("clientMessageId").asString()).as("answers in frame order").isEqualTo(frameIds.get(i));
            JsonNode message = r.path("message");
            JsonNode first = ackOf.putIfAbsent(frameIds.get(i), message);
            if (first != null) {
                assertThat(message).as("a repeat in flight gets the original's ack").isEqualTo(first);
            } else {
                String id = message.path("messageId").asString();
                assertThat(id).as("stored in frame order").isGreaterThan(previous);
                previous = id;
            }
        }
        List<String> distinct = frameIds.stream().distinct().toList();
        List<chatapp.chat.Message> history = new ArrayList<>();
        for (String cursor = null; ; ) {
            var page = chat.history(therapist.userId(), conversationId, 100, cursor, null);
            history.addAll(page.items());
            if ((cursor = page.nextCursor()) == null) {
                break;
            }
        }
        history = history.reversed(); // pages are newest first
        List<String> stored = history.stream().map(chatapp.chat.Message::clientMessageId).toList();
        assertThat(stored).as("every acked message stored once, in frame order").containsExactlyElementsOf(distinct);
        assertThat(history.stream().map(chatapp.chat.Message::messageId).toList())
                .as("the acks name the stored messages").containsExactlyElementsOf(
                        distinct.stream().map(id -> ackOf.get(id).path("messageId").asString()).toList());
        assertThat(sockets.of(therapistPhone).stream().map(f -> f.path("message").path("clientMessageId").asString())
                .toList()).as("the peer hears of each message once, in commit order").containsExactlyElementsOf(distinct);
        assertThat(sockets.of(parentPhone)).as("the sending connection has its acks instead").isEmpty();
    }

    /** Two connections of one user send the same clientMessageIds at once: one message each, the same ack on both. */
    @Test
    void theSameSendsInFlightOnTwoConnectionsOfOneUserStoreOnce() throws Exception {
        int n = Math.min(100, pipelinedSends() / 2);
        List<JsonNode> phone = new CopyOnWriteArrayList<>();
        List<JsonNode> laptop = new CopyOnWriteArrayList<>();
        Answers phoneAnswers = new Answers(Answers.WINDOW, r -> phone.add(JSON.readTree(r)));
        Answers laptopAnswers = new Answers(Answers.WINDOW, r -> laptop.add(JSON.readTree(r)));
        Thread other = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < n; i++) {
                handler.handle(parentLaptop, send(conversationId, "d-" + i, "twice " + i), laptopAnswers, () -> true);
            }
        });
        for (int i = 0; i < n; i++) {
            handler.handle(parentPhone, send(conversationId, "d-" + i, "twice " + i), phoneAnswers, () -> true);
        }
        other.join();
        phoneAnswers.awaitAnswered();
        laptopAnswers.awaitAnswered();

        assertThat(phone).hasSize(n);
        assertThat(laptop).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(phone.get(i).path("type").asString()).isEqualTo("ack");
            assertThat(phone.get(i).path("clientMessageId").asString()).isEqualTo("d-" + i);
            assertThat(laptop.get(i)).as("the same ack on both connections").isEqualTo(phone.get(i));
        }
        List<String> stored = new ArrayList<>();
        for (String cursor = null; ; ) {
            var page = chat.history(parent.userId(), conversationId, 100, cursor, null);
            page.items().forEach(m -> stored.add(m.clientMessageId()));
            if ((cursor = page.nextCursor()) == null) {
                break;
            }
        }
        assertThat(stored).as("one message per clientMessageId").hasSize(n).doesNotHaveDuplicates();
    }

    /**
     * A fan-out over the connection records: each connection's frames, kept in memory as a
     * transport would write them. {@link #failing} makes every delivery fail (a broken transport).
     */
    private static final class Sockets implements FanOut {

        private final Connections connections;
        private final Frames frames = new Frames();
        private final Map<String, List<JsonNode>> byConnection = new ConcurrentHashMap<>();
        volatile boolean failing;

        Sockets(Connections connections) {
            this.connections = connections;
        }

        @Override
        public void deliver(String userId, ServerFrame frame, String exceptConnectionId) {
            if (failing) {
                throw new IllegalStateException("the transport is down");
            }
            String text = frames.encode(frame);
            for (WebSocketConnection c : connections.of(userId)) {
                if (!c.connectionId().equals(exceptConnectionId)) {
                    byConnection.computeIfAbsent(c.connectionId(), id -> new CopyOnWriteArrayList<>())
                            .add(JSON.readTree(text));
                }
            }
        }

        @Override
        public void disconnect(String userId, String sessionId, CloseReason reason) {
            connections.of(userId).stream().filter(c -> sessionId.equals(c.sessionId())).forEach(connections::close);
        }

        @Override
        public void disconnect(WebSocketConnection c, CloseReason reason) {
            connections.close(c);
        }

        List<JsonNode> of(WebSocketConnection c) {
            return byConnection.getOrDefault(c.connectionId(), List.of());
        }

        List<JsonNode> all() {
            return byConnection.values().stream().flatMap(List::stream).toList();
        }

        void clear() {
            byConnection.clear();
        }
    }
}
