package chatapp.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durable send throughput and latency on the one-machine shape (issue 13): starts the server
 * jar in its own JVM on a fresh SQLite data directory, registers one parent-therapist pair per
 * sender, and lets {@code --senders} closed-loop senders POST text messages over real HTTP for
 * {@code --seconds} after a warm-up. Every counted send got its 201, which the server answers only
 * after the commit's fsync. {@code --group-commit false} makes the server fsync every write alone.
 */
final class SendThroughput {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SendThroughput() {
    }

    static void run(Bench.Options options) throws Exception {
        Path jar = Path.of(options.get("server-jar", "server/target/chatapp-exec.jar"));
        int senders = options.integer("senders", 16);
        int seconds = options.integer("seconds", 20);
        int warmup = options.integer("warmup", 5);
        boolean groupCommit = Boolean.parseBoolean(options.get("group-commit", "true"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found: build it with ./mvnw -q -B package -pl server -am");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Scratch scratch = Scratch.create("chatapp-bench-send"); // removed at the end
        Path data = scratch.path().resolve("data");
        Path log = data.getParent().resolve("server.log");
        Process server = startServer(jar, port, data, log, options.get("server-jvm-args", ""),
                "--chatapp.sqlite.group-commit=" + groupCommit);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            awaitReady(http, base, server, log);
            List<Sender> all = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String parent = register(http, base, "parent", i);
                JsonNode therapist = registerUser(http, base, "therapist", i);
                JsonNode opened = post(http, base, "/api/v1/conversations",
                        "{\"peerId\":\"" + therapist.get("user").get("userId").asString() + "\"}", parent, 201);
                post(http, base, "/api/v1/conversations/" + opened.get("conversationId").asString() + "/accept", "{}",
                        therapist.get("accessToken").asString(), 200);
                all.add(new Sender(parent, opened.get("conversationId").asString()));
            }
            System.out.printf("server pid %d on port %d, SQLite group commit %s, %d senders; warm-up %d s, measure %d s%n",
                    server.pid(), port, groupCommit ? "on" : "off", senders, warmup, seconds);

            Recorder recorder = new Recorder(3);
            AtomicLong errors = new AtomicLong();
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
            long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
            AtomicLong counted = new AtomicLong();
            CountDownLatch finished = new CountDownLatch(senders);
            long[] window = new long[2];
            for (Sender s : all) {
                Thread.ofPlatform().name("sender").start(() -> {
                    try {
                        int n = 0;
                        while (true) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                break;
                            }
                            String body = "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"content\":"
                                    + "{\"contentType\":\"text\",\"value\":\"benchmark message " + (n++) + "\"}}";
                            HttpResponse<String> r = send(http, base.resolve("/api/v1/conversations/" + s.conversationId
                                    + "/messages"), body, s.token);
                            long t1 = System.nanoTime();
                            if (r.statusCode() != 201) {
                                errors.incrementAndGet();
                                System.err.println("send answered " + r.statusCode() + ": " + r.body());
                            } else if (t0 >= warmupEnd) {
                                recorder.recordValue((t1 - t0) / 1_000);
                                counted.incrementAndGet();
                            }
                        }
                    } finally {
                        finished.countDown();
                    }
                });
            }
            Thread.sleep(Duration.ofSeconds(warmup));
            recorder.getIntervalHistogram(); // drop warm-up samples
            finished.await();
            Histogram h = recorder.getIntervalHistogram();
            double rate = h.getTotalCount() / (double) seconds;
            System.out.printf("group commit %s: %,d sends acknowledged in %d s = %,.0f msg/s; latency p50 %.2f ms, "
                            + "p90 %.2f ms, p99 %.2f ms, max %.2f ms; errors %d%n",
                    groupCommit ? "on " : "off", h.getTotalCount(), seconds, rate, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0, errors.get());
        } finally {
            server.destroy();
            server.waitFor();
            scratch.close();
        }
    }

    private record Sender(String token, String conversationId) {
    }

    /**
     * Starts {@code jar serve} as a child process on {@code port} with a fresh data directory.
     *
     * @param jvmArgs extra JVM options for the server, space-separated; blank for none
     */
    static Process startServer(Path jar, int port, Path data, Path log, String jvmArgs, String... extraArgs)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString(), "serve", "--chatapp.port=" + port, "--chatapp.data-dir=" + data));
        command.addAll(ChildServer.RAISED_ACCOUNT_LIMITS);
        command.addAll(List.of(extraArgs));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String register(HttpClient http, URI base, String type, int i) throws IOException, InterruptedException {
        return registerUser(http, base, type, i).get("accessToken").asString();
    }

    static JsonNode registerUser(HttpClient http, URI base, String type, int i)
            throws IOException, InterruptedException {
        String name = type + i + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String extra = type.equals("parent") ? ",\"childrenCount\":1" : ",\"specialization\":\"speech\"";
        return post(http, base, "/api/v1/auth/register", "{\"username\":\"" + name + "\",\"email\":\"" + name
                + "@bench.example\",\"password\":\"correct horse battery staple\",\"userType\":\"" + type + "\""
                + extra + "}", null, 201);
    }

    static JsonNode post(HttpClient http, URI base, String path, String body, String token, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(http, base.resolve(path), body, token);
        if (r.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> send(HttpClient http, URI uri, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitReady(HttpClient http, URI base, Process server, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within 90 s; see " + log);
    }
}
