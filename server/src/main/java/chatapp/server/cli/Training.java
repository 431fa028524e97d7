package chatapp.server.cli;

import chatapp.server.OperatorError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training run of the JVM's ahead-of-time cache ({@code chatapp train}, run by
 * {@code ./chatapp} after each build with {@code -XX:AOTCacheOutput}; docs/decisions,
 * "fast start"). It starts the server exactly as {@code serve} does, but on a throwaway data
 * directory in the temp folder and a loopback port, and uses it as the first minute after a
 * restart does: {@link #PAIRS} parent-therapist pairs signed up at once, their conversations asked
 * for and accepted, every user reconnecting at once (tickets, handshakes, presence), then all
 * pairs sending {@code send} frames at the same time with their acks and deliveries (so group
 * commits hold many writes and fan-out runs on many threads, as under real load), read receipts,
 * typing, pings, then REST sends from several senders, history pages, inbox lists, the web
 * client's page. The JVM records which classes were loaded and linked and how the hot
 * methods behaved (JDK 25: JEP 483, 515), so the next {@code serve} starts with them and does
 * not stall while its JIT warms up. No user data is touched: the data directory is deleted at
 * the end.
 */
final class Training {

    /**
     * Pairs of users at work at the same time: one conversation of two users would teach the JIT a
     * send path where every group commit holds one write and one socket thread is busy, and the
     * first real load after a start would then deoptimise what was compiled from that profile.
     */
    static final int PAIRS = 8;
    /**
     * Sends over WebSockets, in all: enough for the send path's methods to reach the JIT's top tier
     * (C2) during the training run, not only its profiling tier. JDK 25 replays a method's training
     * by its highest level there: one compiled by C2 in training is compiled by C2 soon after the
     * next start from the stored profile; one that only got to C1's profiling tier starts at C1
     * with its profiling held back (about 50,000 calls) and is compiled by C2 under the users' load.
     * A per-message method needs some 5,000 profiled calls (more while C2's queue is long) before C2
     * takes it; 4,800 sends left most of the send path short of that (docs/decisions, "training run").
     */
    static final int SOCKET_SENDS = 40_000;
    /**
     * REST sends, in all, for the same reason: a REST send's request path (Tomcat's HTTP/1.1
     * processing, the filters, Spring Security, {@code SendRoute}) is code the socket sends never
     * run. With 400, the cache recorded that path at C1's tier 2 only, so the next start began it
     * there instead of from a C2 profile (docs/decisions, "the training run's REST sends").
     */
    static final int REST_SENDS = 24_000;
    /** Sends a socket makes before it waits for their acks and deliveries: many writes per group commit. */
    private static final int BATCH = 100;
    /**
     * System property: {@link #SOCKET_SENDS} and {@link #REST_SENDS} divided by this whole number
     * (1 when unset), every step of the run kept. For the test of the command (TrainingTest): its
     * JVM runs C1 only and records no cache, so the volume that brings the send path to C2 has
     * nothing to teach there (docs/decisions/0074-suite-time-2.md). {@code ./chatapp} never sets it.
     */
    static final String DIVISOR = "chatapp.training.divisor";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient sockets = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private URI base;
    private final int socketSends;
    private final int restSends;

    private Training(int divisor) {
        this.socketSends = SOCKET_SENDS / divisor;
        this.restSends = REST_SENDS / divisor;
    }

    /**
     * {@link #DIVISOR}'s value, 1 when unset.
     *
     * @throws OperatorError if it is not a whole number that leaves every pair whole batches of socket sends
     */
    static int divisor() {
        String value = System.getProperty(DIVISOR, "1");
        try {
            int d = Integer.parseInt(value.strip());
            // in long: d * PAIRS * BATCH overflows an int for a d of 2^27 or more
            if (d >= 1 && SOCKET_SENDS % ((long) d * PAIRS * BATCH) == 0 && REST_SENDS % ((long) d * PAIRS) == 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new OperatorError("train: " + DIVISOR + " must be a whole number that divides "
                + SOCKET_SENDS / (PAIRS * BATCH) + " and " + REST_SENDS / PAIRS + ": " + value);
    }

    /**
     * Runs the training against a server of its own, then stops it and deletes its data.
     *
     * @param args ignored: the throwaway server's shape, data directory, port and key are always
     *     its own
     * @throws IllegalStateException if a call fails (the cache would then miss part of the path)
     */
    static void run(String[] args, PrintStream out) {
        Training t = new Training(divisor());
        Path dir;
        try {
            dir = Files.createTempDirectory("chatapp-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // args are not passed on: the training server is always the same, whatever else is set
        List<String> settings = new ArrayList<>(List.of("--chatapp.port=0", "--server.address=127.0.0.1",
                // always the one-machine shape on the throwaway directory, whatever the environment
                // names (CHATAPP_STORE=dynamodb must not send training traffic to real tables)
                "--chatapp.store=sqlite", "--chatapp.media=disk", "--chatapp.realtime=builtin",
                "--chatapp.signing-key=", "--chatapp.signing-key-secret=",
                "--chatapp.data-dir=" + dir.resolve("data"),
                // one address and two users doing the work of many: the limits would refuse them
                "--chatapp.limits.logins-per-ip=1000000", "--chatapp.limits.registrations-per-ip=1000000",
                "--chatapp.limits.messages-per-minute=100000000", "--chatapp.limits.message-burst=100000000",
                "--chatapp.limits.tickets-per-minute=1000000",
                "--chatapp.websocket.frames-per-second=1000000", "--chatapp.websocket.frame-burst=1000000"));
        long start = System.nanoTime();
        try (ConfigurableApplicationContext context = ChatApp.serve(settings.toArray(String[]::new))) {
            t.base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
            t.exercise();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } finally {
            delete(dir);
        }
        out.printf("chatapp: training run done in %.1f s (%d pairs, %d socket sends, %d REST sends)%n",
                (System.nanoTime() - start) / 1e9, PAIRS, t.socketSends, t.restSends);
    }

    /** The two users of one conversation, with their tokens and sockets. */
    private record Pair(String parentToken, String therapistToken, String conversation, Socket parent, Socket therapist) {
    }

    private void exercise() throws InterruptedException {
        get("/", null);
        get("/actuator/health/readiness", null);
        List<Pair> pairs = inParallel(PAIRS, this::signUpPair);
        get("/api/v1/users/me", pairs.getFirst().parentToken());
        get("/api/v1/users?type=therapist", pairs.getFirst().parentToken());
        // after a restart every client reconnects at once: tickets, handshakes, hello, presence
        List<Pair> connected = inParallel(PAIRS, i -> {
            Pair p = pairs.get(i);
            return new Pair(p.parentToken(), p.therapistToken(), p.conversation(), connect(p.parentToken()),
                    connect(p.therapistToken()));
        });
        // every pair sends at the same time, as the load after a start does
        inParallel(PAIRS, i -> {
            sendOverSockets(connected.get(i), socketSends / PAIRS);
            return null;
        });
        for (Pair p : connected) {
            p.parent().close();
            p.therapist().close();
        }
        // REST sends from every pair at once (clients without a socket: nobody to fan out to, the
        // recipient offline for notifications), with history pages, inbox lists and read receipts
        inParallel(PAIRS, i -> {
            sendOverRest(connected.get(i), restSends / PAIRS, i);
            return null;
        });
    }

    /** Two accounts, a conversation asked for by the parent and accepted by the therapist. */
    private Pair signUpPair(int i) {
        JsonNode parent = post("/api/v1/auth/register", null, """
                {"username":"training_parent_%d","email":"parent%d@training.invalid","password":"training-password-1",
                 "userType":"parent","childrenCount":1}""".formatted(i, i), 201);
        JsonNode therapist = post("/api/v1/auth/register", null, """
                {"username":"training_therapist_%d","email":"therapist%d@training.invalid","password":"training-password-2",
                 "userType":"therapist","specialization":"Speech therapy"}""".formatted(i, i), 201);
        String parentToken = parent.path("accessToken").asString();
        String therapistToken = therapist.path("accessToken").asString();
        if (i == 0) {
            post("/api/v1/auth/login", null, """
                    {"email":"parent0@training.invalid","password":"training-password-1"}""", 200);
            post("/api/v1/auth/refresh", null, "{\"refreshToken\":\"" + therapist.path("refreshToken").asString() + "\"}",
                    200);
        }
        String conversation = post("/api/v1/conversations", parentToken,
                "{\"peerId\":\"" + therapist.path("user").path("userId").asString() + "\"}", 201).path("conversationId").asString();
        get("/api/v1/conversations/requests", therapistToken);
        post("/api/v1/conversations/" + conversation + "/accept", therapistToken, "{}", 200);
        return new Pair(parentToken, therapistToken, conversation, null, null);
    }

    /** Batches of sends taking turns between the two users, each batch acked and delivered, then read. */
    private void sendOverSockets(Pair pair, int sends) throws InterruptedException {
        String last = null;
        for (int i = 0; i < sends; i += BATCH) {
            Socket from = (i / BATCH) % 2 == 0 ? pair.parent() : pair.therapist();
            Socket to = from == pair.parent() ? pair.therapist() : pair.parent();
            for (int k = 0; k < BATCH; k++) {
                from.send("{\"type\":\"send\",\"clientMessageId\":\"t-" + (i + k) + "\",\"conversationId\":\""
                        + pair.conversation() + "\",\"content\":{\"contentType\":\"text\",\"value\":\"training message "
                        + (i + k) + "\"}}");
            }
            for (int k = 0; k < BATCH; k++) {
                last = from.await("ack").path("message").path("messageId").asString();
                to.await("message");
            }
            to.send("{\"type\":\"read\",\"conversationId\":\"" + pair.conversation() + "\",\"upToMessageId\":\"" + last + "\"}");
            to.send("{\"type\":\"typing\",\"conversationId\":\"" + pair.conversation() + "\"}");
            to.send("{\"type\":\"ping\"}");
            to.await("pong");
        }
    }

    private void sendOverRest(Pair pair, int sends, int sender) {
        String conversation = pair.conversation();
        for (int i = 0; i < sends; i++) {
            String last = post("/api/v1/conversations/" + conversation + "/messages", pair.parentToken(),
                    "{\"clientMessageId\":\"r-" + sender + "-" + i + "\",\"content\":{\"contentType\":\"text\",\"value\":\"training "
                            + i + "\"}}", 201).path("messageId").asString();
            if (i % 50 == 0) {
                get("/api/v1/conversations/" + conversation + "/messages?limit=50", pair.therapistToken());
                get("/api/v1/conversations", pair.therapistToken());
                post("/api/v1/conversations/" + conversation + "/read", pair.therapistToken(),
                        "{\"upToMessageId\":\"" + last + "\"}", 200);
            }
        }
    }

    /** One step of the training, for one pair (or sender). */
    private interface Step<T> {
        T run(int index) throws InterruptedException;
    }

    /**
     * Runs {@code step} for 0..n-1 at the same time, each on its own thread.
     *
     * @throws IllegalStateException if a step fails (the cache would then miss part of the path)
     */
    private static <T> List<T> inParallel(int n, Step<T> step) throws InterruptedException {
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("training-", 0).factory())) {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(threads.submit(() -> step.run(index)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : results) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private JsonNode get(String path, String token) {
        return call(HttpRequest.newBuilder(base.resolve(path)).GET(), token, 200);
    }

    private JsonNode post(String path, String token, String body, int expected) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token, expected);
    }

    private JsonNode call(HttpRequest.Builder request, String token, int expected) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest r = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(r.method() + " " + r.uri().getPath() + ": " + response.statusCode());
            }
            String body = response.body();
            return body.startsWith("{") ? JSON.readTree(body) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        }
    }

    private Socket connect(String token) throws InterruptedException {
        String url = post("/api/v1/realtime/tickets", token, "", 201).path("url").asString();
        URI uri = URI.create(url).isAbsolute() ? URI.create(url)
                : URI.create(base.toString().replaceFirst("^http", "ws")).resolve(url);
        Socket socket = new Socket();
        socket.ws = sockets.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, socket).join();
        socket.await("hello");
        return socket;
    }

    /** One WebSocket; frames are queued as they arrive and taken by type. */
    private static final class Socket implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        void send(String frame) {
            ws.sendText(frame, true).join();
        }

        /** The next frame of {@code type}; frames of other types before it are dropped. */
        JsonNode await(String type) throws InterruptedException {
            while (true) {
                JsonNode frame = frames.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (frame == null) {
                    throw new IllegalStateException("no " + type + " frame in " + TIMEOUT.toSeconds() + " s");
                }
                String got = frame.path("type").asString();
                if ("error".equals(got)) {
                    throw new IllegalStateException("error frame: " + frame.path("code").asString());
                }
                if (type.equals(got)) {
                    return frame;
                }
            }
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the temp folder is the system's to clean; nothing of a user's is in it
        }
    }
}
