package chatapp.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Running ChatApp for real (docs/operations.md): the Prometheus scrape behind its token, with
 * ChatApp's counters moving under real traffic; JSON log lines with a request id that follows
 * a send to its fan-out, and no secret in any log line at DEBUG; scheduled backups with retention.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCRAPE_TOKEN = "scrape-" + UUID.randomUUID();

    @TempDir
    Path tmp;

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private static String conversation(RunningServer s, Session a, Session b) {
        HttpResponse<String> r = s.post("/api/v1/conversations", "{\"peerId\":\"" + b.userId() + "\"}", a.accessToken());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = json(r).get("conversationId").asString();
        assertThat(s.post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken()).statusCode()).isEqualTo(200);
        return c;
    }

    private static HttpResponse<String> send(RunningServer s, Session from, String c, String id, String type,
            String value) {
        return s.post("/api/v1/conversations/" + c + "/messages", "{\"clientMessageId\":\"" + id
                + "\",\"content\":{\"contentType\":\"" + type + "\",\"value\":\"" + value + "\"}}", from.accessToken());
    }

    private static HttpResponse<String> upload(RunningServer s, Session who, String fileName, byte[] bytes) {
        String boundary = "b" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return s.send(HttpRequest.newBuilder(s.uri("/api/v1/media"))
                .header("Authorization", "Bearer " + who.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    /** Every sample of a Prometheus text scrape, by its name and labels as written. */
    private static Map<String, Double> scrape(RunningServer s) {
        HttpResponse<String> r = s.get("/actuator/prometheus", SCRAPE_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space).replace(",application=\"chatapp\"", "")
                        .replace("application=\"chatapp\",", "").replace("{application=\"chatapp\"}", ""),
                        Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double sample(Map<String, Double> samples, String name) {
        assertThat(samples).as("scrape has " + name).containsKey(name);
        return samples.get(name);
    }

    @Test
    void theScrapeNeedsItsTokenAndChatAppsCountersMove() throws Exception {
        RunningServer server = new RunningServer("--chatapp.metrics.token=" + SCRAPE_TOKEN);
        server.beforeAll(null);
        try {
            assertThat(server.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
            assertThat(server.get("/actuator/prometheus", "not-" + SCRAPE_TOKEN).statusCode()).isEqualTo(401);
            // health stays where load balancers look for it
            assertThat(server.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);

            Session parent = TestAccounts.register(server, UserType.PARENT);
            Session therapist = TestAccounts.register(server, UserType.THERAPIST);
            String c = conversation(server, parent, therapist);
            Map<String, Double> before = scrape(server);

            TestAccounts.login(server, parent);
            assertThat(server.post("/api/v1/auth/login", "{\"email\":\"" + parent.email()
                    + "\",\"password\":\"wrong-password-123\"}", null).statusCode()).isEqualTo(401);
            assertThat(send(server, parent, c, "rest-1", "text", "over rest").statusCode()).isEqualTo(201);
            assertThat(upload(server, parent, "photo.png", TestImages.png(20, 20, false)).statusCode()).isEqualTo(201);
            try (WsClient peer = RealtimeClients.connect(server, therapist);
                    WsClient ws = RealtimeClients.connect(server, parent)) {
                ws.sendJson("type", "send", "clientMessageId", "ws-1", "conversationId", c,
                        "content", Map.of("contentType", "text", "value", "over a socket"));
                ws.await(f -> "ack".equals(f.path("type").asString()), Duration.ofSeconds(10));
                peer.await(f -> "message".equals(f.path("type").asString())
                        && "over a socket".equals(f.path("message").path("content").path("value").asString()),
                        Duration.ofSeconds(10));
                Map<String, Double> during = scrape(server);
                assertThat(sample(during, "chatapp_connections_open")).isGreaterThanOrEqualTo(2);
            }
            Map<String, Double> after = scrape(server);

            for (String counter : List.of("chatapp_logins_total{outcome=\"success\"}",
                    "chatapp_logins_total{outcome=\"failure\"}", "chatapp_acks_total{transport=\"rest\"}",
                    "chatapp_acks_total{transport=\"websocket\"}", "chatapp_uploads_total{outcome=\"stored\"}",
                    "chatapp_sends_seconds_count{outcome=\"acked\",transport=\"rest\"}",
                    "chatapp_websocket_frames_seconds_count", "chatapp_fanout_frames_total",
                    "chatapp_store_commit_seconds_count{store=\"sqlite\"}",
                    "chatapp_store_commit_writes_count{store=\"sqlite\"}")) {
                assertThat(sample(after, counter)).as(counter).isGreaterThan(before.getOrDefault(counter, 0.0));
            }
            assertThat(sample(after, "chatapp_fanout_queue_frames")).isGreaterThanOrEqualTo(0);
            assertThat(sample(after, "chatapp_store_commit_writes_max{store=\"sqlite\"}")).isGreaterThanOrEqualTo(1);
            assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"))
                    .anyMatch(k -> k.startsWith("process_cpu_usage"));

            // Rate-limit refusals: wrong passwords until the login limit answers 429.
            int status = 0;
            for (int i = 0; i < 50 && status != 429; i++) {
                status = server.post("/api/v1/auth/login", "{\"email\":\"" + therapist.email()
                        + "\",\"password\":\"wrong-password-" + i + "\"}", null).statusCode();
            }
            assertThat(status).isEqualTo(429);
            assertThat(sample(scrape(server), "chatapp_refusals_rate_limited_total{area=\"auth\"}")).isGreaterThan(0);
        } finally {
            server.stop();
        }
    }

    @Test
    void logLinesAreJsonWithARequestIdThatReachesTheFanOutAndHoldNoSecret(CapturedOutput output) throws Exception {
        Path backups = tmp.resolve("backups");
        String marker = "secret-text-" + UUID.randomUUID();
        String mediaName = "secret-name-" + UUID.randomUUID() + ".png";
        RunningServer server = new RunningServer("--logging.structured.format.console=ecs",
                "--logging.level.chatapp=TRACE", "--logging.level.org.springframework=DEBUG", "--logging.level.org.apache=DEBUG",
                "--chatapp.backup.dir=" + backups, "--chatapp.backup.every=300ms", "--chatapp.backup.keep=2");
        server.beforeAll(null);
        List<String> secrets = new ArrayList<>(List.of(TestAccounts.PASSWORD, marker, mediaName));
        String restId;
        try {
            // No token configured: the scrape does not exist on the public port.
            assertThat(server.get("/actuator/prometheus", null).statusCode()).isEqualTo(404);

            Session parent = TestAccounts.register(server, UserType.PARENT);
            Session therapist = TestAccounts.register(server, UserType.THERAPIST);
            Session again = TestAccounts.login(server, parent);
            secrets.addAll(List.of(parent.accessToken(), parent.refreshToken(), therapist.accessToken(),
                    therapist.refreshToken(), again.accessToken(), again.refreshToken()));
            HttpResponse<String> refreshed = server.post("/api/v1/auth/refresh",
                    "{\"refreshToken\":\"" + again.refreshToken() + "\"}", null);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            Session third = TestAccounts.session(refreshed.body(), TestAccounts.PASSWORD);
            secrets.addAll(List.of(third.accessToken(), third.refreshToken()));
            assertThat(server.post("/api/v1/auth/login", "{\"email\":\"" + parent.email()
                    + "\",\"password\":\"" + marker + "-password\"}", null).statusCode()).isEqualTo(401);
            String c = conversation(server, third, therapist);

            HttpResponse<String> photo = upload(server, third, mediaName, TestImages.png(24, 24, false));
            assertThat(photo.statusCode()).as(photo.body()).isEqualTo(201);
            String mediaId = json(photo).get("mediaId").asString();
            assertThat(send(server, third, c, "photo-1", "image", mediaId).statusCode()).isEqualTo(201);
            HttpResponse<String> link = server.get("/api/v1/media/" + mediaId, therapist.accessToken());
            assertThat(link.statusCode()).isEqualTo(302);
            String location = link.headers().firstValue("Location").orElseThrow();
            secrets.add(query(location, "signature"));
            assertThat(server.send(HttpRequest.newBuilder(server.uri("/").resolve(location)).build()).statusCode())
                    .isEqualTo(200);

            HttpResponse<String> sent = send(server, third, c, "rest-1", "text", marker + " over rest");
            assertThat(sent.statusCode()).isEqualTo(201);
            restId = sent.headers().firstValue("X-Request-Id").orElseThrow();
            String restMessage = json(sent).get("messageId").asString();

            URI ticketUrl = RealtimeClients.ticketUrl(server, therapist);
            secrets.add(query(ticketUrl.toString(), "ticket"));
            try (WsClient ws = WsClient.connect(ticketUrl, null)) {
                ws.next("hello");
                ws.sendJson("type", "send", "clientMessageId", "ws-1", "conversationId", c,
                        "content", Map.of("contentType", "text", "value", marker + " over a socket"));
                String wsMessage = ws.await(f -> "ack".equals(f.path("type").asString()), Duration.ofSeconds(10))
                        .path("message").path("messageId").asString();

                // The request id of the REST send and of the WebSocket frame are on their fan-out lines.
                List<JsonNode> lines = jsonLines(output);
                assertThat(lines).as("JSON log lines").isNotEmpty();
                assertThat(lines).anyMatch(l -> restId.equals(l.path("requestId").asString())
                        && l.path("message").asString().equals("fan-out of MessageStored " + restMessage));
                assertThat(lines).anyMatch(l -> !l.path("requestId").asString().isEmpty()
                        && l.path("message").asString().equals("fan-out of MessageStored " + wsMessage));
            }

            // Scheduled backups, newest two kept.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (backupsIn(backups) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            // Retention: between runs the newest two remain (during one, a third exists until it is whole).
            long seen = 0;
            for (int i = 0; i < 50 && seen != 2; i++) {
                Thread.sleep(100);
                seen = backupsIn(backups);
                assertThat(seen).isLessThanOrEqualTo(3);
            }
            Thread.sleep(1000); // several more scheduled runs
            for (int i = 0; i < 50 && (seen = backupsIn(backups)) != 2; i++) {
                Thread.sleep(100);
            }
            assertThat(seen).isEqualTo(2);
            assertThat(Files.isSymbolicLink(backups.resolve("latest"))).isTrue();
        } finally {
            server.stop();
        }

        String logs = output.getAll();
        assertThat(logs).contains("fan-out of MessageStored"); // DEBUG lines were captured
        for (String secret : secrets) {
            assertThat(logs).as("a log line holds a secret").doesNotContain(secret);
        }
    }

    private static String query(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + name + "=([^&]+)").matcher(url);
        assertThat(m.find()).as(url + " has " + name).isTrue();
        return m.group(1);
    }

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static long backupsIn(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("backup-")).count();
        }
    }
}
