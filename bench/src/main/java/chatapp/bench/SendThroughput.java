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
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durable send throughput and latency on the one-machine shape (issue 13): starts the server
 * jar in its own JVM on a fresh SQLite data directory, registers one parent-therapist pair per
 * sender, and lets {@code --senders} closed-loop senders POST text messages over real HTTP for
 * {@code --seconds} after a warm-up. Every counted send got its 201 naming it, which the server
 * answers only after the commit's fsync; after the run every acknowledged send must be in the
 * history exactly once, or the benchmark fails. {@code --group-commit false} makes the server
 * fsync every write alone.
 */
final class SendThroughput {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SendThroughput() {
    }

    static void run(Bench.Options options) throws Exception {
        Path jar = options.serverJar();
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
        Process server = startServer(jar, port, data, log, options.serverJvmArgs(),
                "--chatapp.sqlite.group-commit=" + groupCommit);
        try (CloseableHttpClient client = sendingClient(senders)) {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            awaitReady(http, base, server, log);
            List<Sender> all = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                JsonNode parent = registerUser(http, base, "parent", i);
                String token = parent.get("accessToken").asString();
                JsonNode therapist = registerUser(http, base, "therapist", i);
                JsonNode opened = post(http, base, "/api/v1/conversations",
                        "{\"peerId\":\"" + therapist.get("user").get("userId").asString() + "\"}", token, 201);
                String conversationId = opened.get("conversationId").asString();
                post(http, base, "/api/v1/conversations/" + conversationId + "/accept", "{}",
                        therapist.get("accessToken").asString(), 200);
                Account account = new Account(parent.get("user").get("userId").asString(), null, null);
                account.tokens(token, parent.get("refreshToken").asString());
                all.add(new Sender(account, conversationId, base.resolve("/api/v1/conversations/" + conversationId
                        + "/messages")));
            }
            System.out.printf("server pid %d on port %d, SQLite group commit %s, %d senders; warm-up %d s, measure %d s%n",
                    server.pid(), port, groupCommit ? "on" : "off", senders, warmup, seconds);

            Recorder recorder = new Recorder(3);
            AtomicLong errors = new AtomicLong();
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
            long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
            CountDownLatch finished = new CountDownLatch(senders);
            for (Sender s : all) {
                Thread.ofPlatform().name("sender").start(() -> {
                    try {
                        s.run(client, warmupEnd, end, recorder, errors);
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
            if (errors.get() > 0) {
                printErrors(log);
            }
            verify(new Api(base), all);
        } finally {
            server.destroy();
            server.waitFor();
            scratch.close();
        }
    }

    /**
     * The senders' HTTP client: blocking, one keep-alive connection per sender, no retries (a send
     * is made once and its answer counted as it came), no redirects, cookies or decompression.
     * java.net.http's client hands each exchange between the calling thread, its selector thread
     * and its executor's threads; on the 2 cores the server shares, that cost the benchmark about
     * 450-900 us of CPU per send, a third of the machine's CPU per send (docs/benchmarks.md).
     */
    private static CloseableHttpClient sendingClient(int senders) {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(senders).setMaxConnPerRoute(senders)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(Timeout.ofSeconds(30)).build())
                .build();
        return HttpClients.custom().setConnectionManager(connections).disableAutomaticRetries()
                .disableRedirectHandling().disableCookieManagement().disableContentCompression().disableAuthCaching()
                .disableConnectionState().build();
    }

    /**
     * The server's log lines at level ERROR, each with the 12 lines after it (the exception), so
     * that a 5xx answer is explained before the scratch directory with the log is removed.
     */
    private static void printErrors(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        int shown = 0;
        for (int i = 0; i < lines.size() && shown < 5; i++) {
            if (lines.get(i).contains(" ERROR ")) {
                shown++;
                System.err.println("server log: " + String.join("\n  ", lines.subList(i, Math.min(lines.size(), i + 13))));
            }
        }
    }

    /** The answer to one send: its status and body. */
    private record Answer(int status, String body) {
    }

    /** One closed-loop sender: its conversation, and every send the server acknowledged (all run long). */
    private static final class Sender {
        final Account account;
        final String conversationId;
        final URI messages;
        /** clientMessageId, then the messageId the 201 named, of every acknowledged send, in order. */
        final List<String[]> acked = new ArrayList<>();

        Sender(Account account, String conversationId, URI messages) {
            this.account = account;
            this.conversationId = conversationId;
            this.messages = messages;
        }

        void run(CloseableHttpClient client, long warmupEnd, long end, Recorder recorder, AtomicLong errors) {
            String authorization = "Bearer " + account.accessToken();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int n = 0;
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= end) {
                    break;
                }
                String clientMessageId = new UUID(random.nextLong(), random.nextLong()).toString();
                String body = "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":"
                        + "{\"contentType\":\"text\",\"value\":\"benchmark message " + (n++) + "\"}}";
                HttpPost post = new HttpPost(messages);
                post.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                post.setEntity(new StringEntity(body, JSON_TYPE));
                Answer r;
                try {
                    r = client.execute(post, response -> new Answer(response.getCode(),
                            EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                long t1 = System.nanoTime();
                String messageId = r.status() == 201 ? ackedId(r.body(), clientMessageId) : null;
                if (messageId == null) {
                    errors.incrementAndGet();
                    System.err.println("send answered " + r.status() + ": " + r.body());
                    continue;
                }
                acked.add(new String[] {clientMessageId, messageId});
                if (t0 >= warmupEnd) {
                    recorder.recordValue((t1 - t0) / 1_000);
                }
            }
        }
    }

    /** Content-Type: application/json, the body's bytes in UTF-8 (no charset parameter, as before). */
    private static final ContentType JSON_TYPE = ContentType.create("application/json", (java.nio.charset.Charset) null);

    /**
     * The messageId of a 201's message, or null unless the answer names {@code clientMessageId}:
     * a string search, not a JSON parse, to keep the client's CPU per send low (the history check
     * after the run reads every message as JSON).
     */
    static String ackedId(String body, String clientMessageId) {
        if (!body.contains("\"clientMessageId\":\"" + clientMessageId + "\"")) {
            return null;
        }
        int at = body.indexOf("\"messageId\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + "\"messageId\":\"".length();
        int to = body.indexOf('"', from);
        return to < 0 ? null : body.substring(from, to);
    }

    /**
     * After the run: every conversation's whole history, read over REST, must hold each
     * acknowledged send exactly once, under the messageId its 201 named, in the order it was
     * acknowledged, and nothing else.
     *
     * @throws IllegalStateException naming the first few differences, if any
     */
    private static void verify(Api api, List<Sender> all) {
        long acked = 0;
        List<String> wrong = new ArrayList<>();
        for (Sender s : all) {
            List<JsonNode> history = api.messagesAfter(s.account, s.conversationId, null);
            acked += s.acked.size();
            if (history.size() != s.acked.size()) {
                wrong.add("conversation " + s.conversationId + ": " + s.acked.size() + " sends acknowledged, "
                        + history.size() + " messages stored");
            }
            for (int i = 0; i < Math.min(history.size(), s.acked.size()); i++) {
                JsonNode m = history.get(i);
                String[] a = s.acked.get(i);
                if (!a[0].equals(m.path("clientMessageId").asString()) || !a[1].equals(m.path("messageId").asString())) {
                    wrong.add("conversation " + s.conversationId + ", message " + i + ": acknowledged " + a[0] + " as "
                            + a[1] + ", stored " + m.path("clientMessageId").asString() + " as "
                            + m.path("messageId").asString());
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the history does not match the acknowledged sends (" + wrong.size()
                    + " differences): " + String.join("; ", wrong.subList(0, Math.min(5, wrong.size()))));
        }
        System.out.printf("verified: all %,d acknowledged sends (warm-up included) are in the history, each once, "
                + "in order, under the messageId of their 201%n", acked);
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
        return ChildServer.oneJvm(new ProcessBuilder(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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

    private static final Duration READY_WITHIN = Duration.ofSeconds(300);

    static void awaitReady(HttpClient http, URI base, Process server, Path log) throws InterruptedException {
        // generous: on a shared, loaded machine a start took 90-140 s (docs/benchmarks.md)
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
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
        throw new IllegalStateException("the server was not ready within " + READY_WITHIN.toSeconds() + " s; see " + log);
    }
}
