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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the AWS shape on this machine (docs/benchmarks.md, "AWS shape"), with moto for
 * DynamoDB, S3 and Secrets Manager, the server jar in the AWS shape and the local API Gateway
 * ({@code apigateway-local/target/chatapp-apigateway-local.jar}, what {@code ./chatapp apigateway-local} runs):
 * <ul>
 *   <li>cold start: a fresh JVM running the local API Gateway (the Lambda handlers in-process),
 *       from process start to the first answered frame: {@code hello} (the $connect handler, then
 *       the hello function, every client created on first use) and the first {@code pong}
 *       (the $default handler's first frame);</li>
 *   <li>sender-to-recipient latency: a {@code send} on one WebSocket to the {@code message} frame
 *       on the recipient's, through the harness and the handlers.</li>
 * </ul>
 * Run by scripts/measure-aws-shape.sh, which builds the jars first. JDK only (a single-file
 * program): JSON fields are read with patterns.
 */
public class AwsShapeBench {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<Process> CHILDREN = new ArrayList<>();
    static Path root;
    static Path java;
    static Path logs;

    public static void main(String[] args) throws Exception {
        int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        root = Path.of("").toAbsolutePath();
        java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        logs = Files.createTempDirectory("aws-shape-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly)));
        System.out.println("logs: " + logs);

        int motoPort = freePort();
        Path python = Path.of(System.getenv().getOrDefault("CHATAPP_MOTO_PYTHON", root.resolve(".venv/bin/python").toString()));
        start("moto", List.of(python.toString(), root.resolve("aws/src/test/resources/chatapp/aws/moto_server.py").toString(),
                Integer.toString(motoPort)), Map.of());
        String moto = "http://127.0.0.1:" + motoPort;
        awaitHttp(moto + "/moto-api/data.json", Duration.ofSeconds(60));

        int serverPort = freePort();
        int harnessPort = freePort();
        Map<String, String> aws = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "CHATAPP_STORE", "dynamodb", "CHATAPP_DYNAMODB_ENDPOINT", moto, "CHATAPP_TABLE_PREFIX", "bench-"));
        run(List.of(java.toString(), "-jar", jar().toString(), "create-tables"), aws);

        Map<String, String> server = new HashMap<>(aws);
        server.putAll(Map.of("CHATAPP_PORT", Integer.toString(serverPort),
                "CHATAPP_DATA_DIR", logs.resolve("data").toString(),
                "CHATAPP_MEDIA", "s3", "CHATAPP_S3_ENDPOINT", moto, "CHATAPP_S3_BUCKET", "bench-media",
                "CHATAPP_REALTIME", "apigateway", "CHATAPP_APIGATEWAY_ENDPOINT", "http://127.0.0.1:" + harnessPort,
                "CHATAPP_WEBSOCKET_URL", "ws://127.0.0.1:" + harnessPort + "/",
                "CHATAPP_SIGNING_KEY", "YmVuY2gtc2lnbmluZy1rZXktb2YtYXQtbGVhc3QtMzItYnl0ZXM="));
        HTTP.send(HttpRequest.newBuilder(URI.create(moto + "/bench-media")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        start("server", List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString(), "serve"), server);
        String api = "http://127.0.0.1:" + serverPort;
        awaitHttp(api + "/actuator/health/readiness", Duration.ofSeconds(180));

        String[] parent = register(api, "parent");
        String[] therapist = register(api, "therapist");
        String conversation = field(post(api + "/api/v1/conversations", "{\"peerId\":\"" + therapist[0] + "\"}", parent[1]),
                "conversationId");

        Map<String, String> harness = new HashMap<>(aws);
        harness.put("CHATAPP_PORT", Integer.toString(harnessPort));
        List<long[]> cold = new ArrayList<>();
        Process h = null;
        for (int run = 1; run <= coldRuns; run++) {
            String ticket = field(post(api + "/api/v1/realtime/tickets", "", parent[1]), "ticket");
            long t0 = System.nanoTime();
            h = start("apigateway-local-" + run, List.of(java.toString(), "-jar", gatewayJar().toString()), harness);
            Client c = Client.connectWhenUp(URI.create("ws://127.0.0.1:" + harnessPort + "/?ticket=" + ticket), t0);
            long listening = c.openedAt - t0;
            c.next("hello");
            long hello = System.nanoTime() - t0;
            c.send("{\"type\":\"ping\"}");
            c.next("pong");
            long pong = System.nanoTime() - t0;
            cold.add(new long[] {listening, hello, pong});
            System.out.printf("cold start %d: harness listening %d ms, first hello %d ms, first pong %d ms%n",
                    run, ms(listening), ms(hello), ms(pong));
            c.close();
            if (run < coldRuns) {
                h.destroy();
                h.waitFor(30, TimeUnit.SECONDS);
            }
        }

        System.out.println();
        System.out.printf("cold start (ms), %d runs: harness listening %s; first hello %s; first pong %s%n", coldRuns,
                summary(cold, 0), summary(cold, 1), summary(cold, 2));
        if (messages > 0) {
            latency(api, harnessPort, parent, therapist, conversation, messages);
        }
        System.out.println("JDK: " + Runtime.version() + ", cores: " + Runtime.getRuntime().availableProcessors());
        System.exit(0);
    }

    /** Latency through the last (warm) harness: parent sends, therapist receives. */
    static void latency(String api, int harnessPort, String[] parent, String[] therapist, String conversation,
            int messages) throws Exception {
        String issued = post(api + "/api/v1/realtime/tickets", "", therapist[1]);
        Client recipient = Client.connect(URI.create(field(issued, "url")));
        recipient.next("hello");
        Client sender = Client.connect(URI.create("ws://127.0.0.1:" + harnessPort + "/?ticket="
                + field(post(api + "/api/v1/realtime/tickets", "", parent[1]), "ticket")));
        sender.next("hello");
        long[] latencies = new long[messages];
        int warmup = Math.min(20, messages / 5);
        for (int i = -warmup; i < messages; i++) {
            String id = "b" + (i + warmup);
            long sent = System.nanoTime();
            sender.send("{\"type\":\"send\",\"clientMessageId\":\"" + id + "\",\"conversationId\":\"" + conversation
                    + "\",\"content\":{\"contentType\":\"text\",\"value\":\"hello " + i + "\"}}");
            recipient.await(f -> f.contains("\"type\":\"message\"") && f.contains("\"clientMessageId\":\"" + id + "\""));
            long received = System.nanoTime();
            sender.await(f -> f.contains("\"type\":\"ack\"") && f.contains("\"clientMessageId\":\"" + id + "\""));
            if (i >= 0) {
                latencies[i] = received - sent;
            }
        }
        Arrays.sort(latencies);
        System.out.printf("sender-to-recipient latency through the harness, %d messages one at a time: "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", messages,
                latencies[(int) Math.ceil(messages * 0.50) - 1] / 1e6, latencies[(int) Math.ceil(messages * 0.99) - 1] / 1e6,
                latencies[messages - 1] / 1e6);
    }

    static String summary(List<long[]> runs, int column) {
        long[] values = runs.stream().mapToLong(r -> ms(r[column])).sorted().toArray();
        return "median " + values[values.length / 2] + " (" + Arrays.toString(runs.stream().mapToLong(r -> ms(r[column])).toArray()) + ")";
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static Path jar() {
        return root.resolve("server/target/chatapp-exec.jar");
    }

    static Path gatewayJar() {
        return root.resolve("apigateway-local/target/chatapp-apigateway-local.jar");
    }

    static String[] register(String api, String type) throws Exception {
        String name = type.charAt(0) + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String extra = type.equals("parent") ? "\"childrenCount\":1" : "\"specialization\":\"speech\"";
        String body = post(api + "/api/v1/auth/register", "{\"username\":\"" + name + "\",\"email\":\"" + name
                + "@example.org\",\"password\":\"Tidy-Lantern-Orbit-42\",\"userType\":\"" + type + "\"," + extra + "}", null);
        return new String[] {field(body, "userId"), field(body, "accessToken")};
    }

    static String post(String url, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    static void run(List<String> command, Map<String, String> env) throws Exception {
        Process p = start("run-" + System.nanoTime(), command, env);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed; see " + logs);
        }
    }

    static void awaitHttp(String url, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(url + " did not answer within " + timeout + "; see " + logs);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A WebSocket client that queues text frames. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;
        long openedAt;

        static Client connect(URI uri) {
            Client c = new Client();
            c.socket = HTTP.newWebSocketBuilder().buildAsync(uri, c).join();
            return c;
        }

        /** Connects as soon as something listens at {@code uri} (a harness still starting). */
        static Client connectWhenUp(URI uri, long since) throws InterruptedException {
            long deadline = since + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", uri.getPort())) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("nothing listens at " + uri);
                    }
                    Thread.sleep(5);
                }
            }
            Client c = new Client();
            c.openedAt = System.nanoTime();
            c.socket = HTTP.newWebSocketBuilder().buildAsync(uri, c).join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String next(String type) throws InterruptedException {
            return await(f -> f.contains("\"type\":\"" + type + "\""));
        }

        String await(java.util.function.Predicate<String> test) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new IllegalStateException("no matching frame within 30 s");
                }
                if (test.test(f)) {
                    return f;
                }
            }
        }

        void close() {
            socket.sendClose(1000, "").join();
        }
    }
}
