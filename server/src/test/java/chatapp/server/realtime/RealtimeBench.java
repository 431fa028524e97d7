package chatapp.server.realtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * Measures the built-in gateway of a real ChatApp server started from the runnable jar in its
 * own JVM (fresh data directory, free port): heap and resident memory per idle WebSocket
 * connection, and sender-to-recipient latency of {@code send} to {@code message}. Not a test:
 * run it with {@code scripts/bench-realtime.sh} (docs/benchmarks.md, "Real-time").
 *
 * <p>Arguments: {@code [idleConnections=5000] [pairs=20] [messagesPerPair=150] [ratePerPair=5]}.
 * Latency is measured open-loop: each sender sends on a fixed schedule, and a message's latency
 * runs from its scheduled time to its arrival at the recipient, so a stall is not hidden by
 * the sender waiting for it (no coordinated omission).
 */
public final class RealtimeBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "Tidy-Lantern-Orbit-42";

    private final URI base;
    private final AtomicInteger names = new AtomicInteger();

    private RealtimeBench(URI base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getProperty("chatapp.jar", "server/target/chatapp-exec.jar"));
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int perPair = args.length > 2 ? Integer.parseInt(args[2]) : 150;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 5;

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("chatapp-bench").resolve("data");
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Files.createTempFile("chatapp-bench-server", ".log");
        Process server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "serve",
                "--chatapp.port=" + port, "--chatapp.data-dir=" + data)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            RealtimeBench bench = new RealtimeBench(URI.create("http://127.0.0.1:" + port));
            bench.awaitReady();
            System.out.println("server pid " + server.pid() + ", log " + log + ", JDK " + Runtime.version());
            bench.idleMemory(server.pid(), idle);
            if (pairs > 0) {
                bench.latency(pairs, perPair, rate);
            }
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- memory per idle connection

    private void idleMemory(long pid, int connections) throws Exception {
        int users = Math.max(1, connections / 100);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            tokens.add(register("parent").token());
        }
        // Warm up: open and close some connections so classes, pools and caches exist.
        closeAll(open(tokens, 200));
        Thread.sleep(2000);
        long heapBefore = liveHeap(pid);
        long rssBefore = rss(pid);
        List<WebSocket> open = open(tokens, connections);
        Thread.sleep(3000);
        long heapAfter = liveHeap(pid);
        long rssAfter = rss(pid);
        System.out.printf("idle connections: %d (%d users)%n", connections, users);
        System.out.printf("live heap after full GC: %.1f MiB -> %.1f MiB: %.1f KiB per connection%n",
                heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1024.0 / connections);
        System.out.printf("resident memory (VmRSS): %.1f MiB -> %.1f MiB: %.1f KiB per connection%n",
                rssBefore / 1048576.0, rssAfter / 1048576.0, (rssAfter - rssBefore) / 1024.0 / connections);
        System.out.printf("server threads with %d connections open: %d%n", connections, threads(pid));
        closeAll(open);
    }

    private List<WebSocket> open(List<String> tokens, int n) throws Exception {
        List<WebSocket> sockets = new ArrayList<>(n);
        try (ExecutorService pool = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            List<Future<WebSocket>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String token = tokens.get(i % tokens.size());
                futures.add(pool.submit(() -> connect(token, new Quiet())));
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

    /** Bytes of live objects after the full GC that {@code GC.class_histogram} triggers. */
    private static long liveHeap(long pid) throws IOException, InterruptedException {
        String out = jcmd(pid, "GC.class_histogram");
        Path saved = Files.createTempFile("chatapp-bench-histogram", ".txt");
        Files.writeString(saved, out);
        System.out.println("class histogram: " + saved);
        Matcher m = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no total in class histogram: " + out.lines().limit(5).toList());
        }
        return Long.parseLong(m.group(2));
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    private static long threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    // ---------------------------------------------------------------- sender-to-recipient latency

    private void latency(int pairs, int perPair, int ratePerSecond) throws Exception {
        int warmup = Math.min(20, perPair / 5);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<String, Long> scheduled = new ConcurrentHashMap<>();
        CountDownLatch arrived = new CountDownLatch(pairs * perPair);
        List<WebSocket> sockets = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        for (int p = 0; p < pairs; p++) {
            Account parent = register("parent");
            Account therapist = register("therapist");
            String conversationId = JSON.readTree(post("/api/v1/conversations",
                    "{\"peerId\":\"" + therapist.userId() + "\"}", parent.token()).body()).path("conversationId").asString();
            WebSocket recipient = connect(therapist.token(), new Recipient(scheduled, histogram, arrived, warmup));
            WebSocket sender = connect(parent.token(), new Quiet());
            sockets.add(recipient);
            sockets.add(sender);
            int pair = p;
            senders.add(Thread.ofVirtual().unstarted(() -> {
                long start = System.nanoTime() + periodNanos * pair / pairs; // spread the pairs out
                for (int i = 0; i < perPair; i++) {
                    long at = start + i * periodNanos;
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
                    String frame = "{\"type\":\"send\",\"clientMessageId\":\"" + id + "\",\"conversationId\":\""
                            + conversationId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"message " + id
                            + " from the latency benchmark\"}}";
                    sender.sendText(frame, true).join();
                }
            }));
        }
        long t0 = System.nanoTime();
        senders.forEach(Thread::start);
        if (!arrived.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(arrived.getCount() + " messages never arrived");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("latency: %d pairs x %d messages at %d/s each (%.0f messages/s in all; first %d of each pair not counted)%n",
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

    /** Records the latency of every {@code message} frame it receives. */
    private static final class Recipient extends Quiet {
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

    /** Reads everything, keeps nothing. */
    private static class Quiet implements WebSocket.Listener {
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
        String name = "bench-" + type + "-" + ProcessHandle.current().pid() + "-" + names.incrementAndGet();
        String extra = "parent".equals(type) ? "\"childrenCount\":1" : "\"specialization\":\"Speech therapy\"";
        HttpResponse<String> r = post("/api/v1/auth/register", "{\"username\":\"" + name + "\",\"email\":\"" + name
                + "@example.org\",\"password\":\"" + PASSWORD + "\",\"userType\":\"" + type + "\"," + extra + "}", null);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("register answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode root = JSON.readTree(r.body());
        return new Account(root.path("user").path("userId").asString(), root.path("accessToken").asString());
    }

    private WebSocket connect(String token, WebSocket.Listener listener) throws Exception {
        HttpResponse<String> t = post("/api/v1/realtime/tickets", "", token);
        if (t.statusCode() != 201) {
            throw new IllegalStateException("ticket answered " + t.statusCode() + ": " + t.body());
        }
        URI url = URI.create(JSON.readTree(t.body()).path("url").asString());
        return HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(url, listener)
                .get(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server not ready within 120 s");
    }
}
