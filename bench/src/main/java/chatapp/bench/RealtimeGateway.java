package chatapp.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in WebSocket gateway (issue 14): starts the server jar in its own JVM on a fresh
 * SQLite data directory and measures (1) heap and resident memory per idle WebSocket connection,
 * from the live heap after a full GC ({@code jcmd GC.class_histogram}) before and after opening
 * {@code --idle} connections, and (2) sender-to-recipient latency: {@code --pairs} parent-therapist
 * pairs, each parent sending {@code --messages} text messages over its WebSocket at {@code --rate}
 * a second, each timed from its scheduled send to the {@code message} frame at the therapist's
 * socket. The schedule is open-loop, so a stall is counted, not hidden (no coordinated omission).
 */
final class RealtimeGateway {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final AtomicInteger accounts = new AtomicInteger();

    private RealtimeGateway(URI base) {
        this.base = base;
    }

    static void run(Bench.Options options) throws Exception {
        Path jar = options.serverJar();
        int idle = options.integer("idle", 5_000);
        int pairs = options.integer("pairs", 20);
        int messages = options.integer("messages", 150);
        int rate = options.integer("rate", 5);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found: build it with ./mvnw -q -B package -pl server -am");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Scratch scratch = Scratch.create("chatapp-bench-realtime"); // removed at the end
        Path data = scratch.path().resolve("data");
        Path log = data.getParent().resolve("server.log");
        // The bench signs up more accounts from one address than the sign-up limit lets a person.
        Process server = SendThroughput.startServer(jar, port, data, log, options.serverJvmArgs(), "--chatapp.limits.registrations-per-ip=100000");
        try {
            RealtimeGateway bench = new RealtimeGateway(URI.create("http://127.0.0.1:" + port));
            SendThroughput.awaitReady(bench.http, bench.base, server, log);
            System.out.printf("server pid %d on port %d, log %s, %s%n", server.pid(), port, log, Runtime.version());
            if (idle > 0) {
                bench.idleMemory(server.pid(), idle);
            }
            if (pairs > 0) {
                bench.latency(pairs, messages, rate);
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            scratch.close();
        }
    }

    // ---------------------------------------------------------------- memory per idle connection

    private void idleMemory(long pid, int connections) throws Exception {
        int users = Math.max(1, connections / 100);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            tokens.add(register("parent").token());
        }
        closeAll(open(tokens, 200)); // warm-up: classes, pools and caches exist before measuring
        Thread.sleep(2_000);
        long heapBefore = liveHeap(pid);
        long rssBefore = status(pid, "VmRSS:") * 1024;
        List<WebSocket> open = open(tokens, connections);
        Thread.sleep(3_000);
        long heapAfter = liveHeap(pid);
        long rssAfter = status(pid, "VmRSS:") * 1024;
        System.out.printf("idle connections: %d (%d users), server threads: %d%n", connections, users,
                status(pid, "Threads:"));
        System.out.printf("live heap after full GC: %.1f MiB -> %.1f MiB = %.1f KiB per connection%n",
                mib(heapBefore), mib(heapAfter), (heapAfter - heapBefore) / 1024.0 / connections);
        System.out.printf("resident memory (VmRSS): %.1f MiB -> %.1f MiB = %.1f KiB per connection%n",
                mib(rssBefore), mib(rssAfter), (rssAfter - rssBefore) / 1024.0 / connections);
        closeAll(open);
    }

    private List<WebSocket> open(List<String> tokens, int n) throws Exception {
        List<WebSocket> sockets = new ArrayList<>(n);
        try (ExecutorService pool = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            List<Future<WebSocket>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String token = tokens.get(i % tokens.size());
                futures.add(pool.submit(() -> connect(token, new Reader())));
            }
            for (Future<WebSocket> f : futures) {
                sockets.add(f.get());
            }
        }
        return sockets;
    }

    private static void closeAll(List<WebSocket> sockets) {
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (WebSocket s : sockets) {
            closing.add(s.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null));
        }
        closing.forEach(CompletableFuture::join);
    }

    /** Bytes of live objects after the full GC that {@code jcmd GC.class_histogram} makes. */
    private static long liveHeap(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("jcmd gave no class histogram: " + out.lines().limit(3).toList());
        }
        return Long.parseLong(m.group(1));
    }

    /** A number from /proc/PID/status, e.g. {@code VmRSS:} (KiB) or {@code Threads:}. */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    // ---------------------------------------------------------------- sender-to-recipient latency

    private void latency(int pairs, int perPair, int ratePerSecond) throws Exception {
        int warmup = Math.min(20, perPair / 5);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<String, Long> scheduled = new ConcurrentHashMap<>();
        CountDownLatch arrived = new CountDownLatch(pairs * perPair);
        List<WebSocket> sockets = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        long period = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        for (int p = 0; p < pairs; p++) {
            Account parent = register("parent");
            Account therapist = register("therapist");
            String conversationId = SendThroughput.post(http, base, "/api/v1/conversations",
                    "{\"peerId\":\"" + therapist.userId() + "\"}", parent.token(), 201).path("conversationId").asString();
            SendThroughput.post(http, base, "/api/v1/conversations/" + conversationId + "/accept", "{}",
                    therapist.token(), 200);
            sockets.add(connect(therapist.token(), new Recipient(scheduled, histogram, arrived, warmup)));
            WebSocket sender = connect(parent.token(), new Reader());
            sockets.add(sender);
            int pair = p;
            senders.add(Thread.ofVirtual().unstarted(() -> {
                long start = System.nanoTime() + period * pair / pairs; // pairs spread over the period
                for (int i = 0; i < perPair; i++) {
                    long at = start + i * period;
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    String id = pair + "-" + i;
                    scheduled.put(id, at);
                    sender.sendText("{\"type\":\"send\",\"clientMessageId\":\"" + id + "\",\"conversationId\":\""
                            + conversationId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"message " + id
                            + " of the latency benchmark\"}}", true).join();
                }
            }));
        }
        long t0 = System.nanoTime();
        senders.forEach(Thread::start);
        if (!arrived.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(arrived.getCount() + " messages never arrived");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("latency: %d pairs x %d messages at %d/s each = %.0f messages/s; first %d of each pair not counted%n",
                pairs, perPair, ratePerSecond, pairs * perPair / seconds, warmup);
        System.out.printf("sender-to-recipient latency (ms): p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f (n=%d)%n",
                ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)),
                ms(histogram.getMaxValue()), histogram.getTotalCount());
        closeAll(sockets);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Times every {@code message} frame against its scheduled send. */
    private static final class Recipient extends Reader {
        private final Map<String, Long> scheduled;
        private final Histogram histogram;
        private final CountDownLatch arrived;
        private final int warmup;

        Recipient(Map<String, Long> scheduled, Histogram histogram, CountDownLatch arrived, int warmup) {
            this.scheduled = scheduled;
            this.histogram = histogram;
            this.arrived = arrived;
            this.warmup = warmup;
        }

        @Override
        void frame(String text, long arrivedAt) {
            JsonNode f = JSON.readTree(text);
            if (!"message".equals(f.path("type").asString())) {
                return;
            }
            String id = f.path("message").path("clientMessageId").asString();
            Long at = scheduled.remove(id);
            if (at == null) {
                return;
            }
            if (Integer.parseInt(id.substring(id.indexOf('-') + 1)) >= warmup) {
                synchronized (histogram) {
                    histogram.recordValue(arrivedAt - at);
                }
            }
            arrived.countDown();
        }
    }

    /** Reads every frame as it comes, like a client that keeps up. */
    private static class Reader implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            text.append(data);
            if (last) {
                frame(text.toString(), now);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void frame(String text, long arrivedAt) {
        }
    }

    // ---------------------------------------------------------------- REST

    private record Account(String userId, String token) {
    }

    private Account register(String type) throws IOException, InterruptedException {
        JsonNode r = SendThroughput.registerUser(http, base, type, accounts.incrementAndGet());
        return new Account(r.path("user").path("userId").asString(), r.path("accessToken").asString());
    }

    private WebSocket connect(String token, WebSocket.Listener listener) throws Exception {
        HttpResponse<String> t = SendThroughput.send(http, base.resolve("/api/v1/realtime/tickets"), "", token);
        if (t.statusCode() != 201) {
            throw new IllegalStateException("POST /realtime/tickets answered " + t.statusCode() + ": " + t.body());
        }
        URI url = URI.create(JSON.readTree(t.body()).path("url").asString());
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(url, listener)
                .get(30, TimeUnit.SECONDS);
    }
}
