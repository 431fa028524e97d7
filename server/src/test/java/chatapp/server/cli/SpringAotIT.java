package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.media.TestImages;
import chatapp.server.AwsTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar ({@code server/target/chatapp-exec.jar}, as README starts it) in Spring's AOT
 * mode (docs/decisions/0058-spring-aot.md): its bean definitions were fixed at build time with the
 * default settings, so each shape and option chosen at start must still be the one served. Runs
 * after {@code package} (failsafe), in a process of its own, as an operator starts it.
 */
class SpringAotIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MEDIA_FILES = "/api/v1/media/files/";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theOneMachineShapeWithEveryOptionOn() throws Exception {
        Path backups = Files.createTempDirectory("chatapp-aot-backups");
        try (Server server = Server.start("aot-embedded", Map.of(
                "CHATAPP_METRICS_TOKEN", "aot-metrics-token",
                "CHATAPP_BACKUP_DIR", backups.toString(), "CHATAPP_BACKUP_EVERY", "1s",
                "CHATAPP_RETENTION_MESSAGES", "P365D",
                "CHATAPP_EMAIL_SMTP_HOST", "127.0.0.1", "CHATAPP_EMAIL_SMTP_PORT", "2525",
                "CHATAPP_EMAIL_STARTTLS", "false", "CHATAPP_EMAIL_FROM", "chatapp@localhost",
                "CHATAPP_EMAIL_APP_URL", "http://localhost:8080",
                "LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"))) {
            server.awaitReady();
            assertThat(server.log()).contains("Starting AOT-processed").contains("email is on")
                    .contains("\"log\":{\"level\":\"INFO\""); // ECS JSON lines
            // email on: a sign-up waits for its address to be verified (202, docs/notifications.md)
            register(server, 202);
            // the built-in gateway serves /ws (a handshake without a ticket is refused, not unknown)
            assertThat(get(server, "/ws", null).statusCode()).isEqualTo(401);
            assertThat(paths(server)).anyMatch(p -> p.startsWith(MEDIA_FILES));
            // the metrics token and the SQLite store's meters
            assertThat(get(server, "/actuator/prometheus", null).statusCode()).isEqualTo(401);
            HttpResponse<String> metrics = get(server, "/actuator/prometheus", "aot-metrics-token");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("chatapp_store_commit");
            // the scheduled backup runs (every second here)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (isEmpty(backups) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(isEmpty(backups)).as("a scheduled backup in " + backups).isFalse();
        }
    }

    @Test
    void theAwsShapeAgainstMoto() throws Exception {
        MotoServer moto = MotoServer.get();
        AwsTestEnvironment.use(moto);
        String prefix = "aot-" + System.nanoTime() + "-";
        var dynamo = moto.dynamoSettings(prefix);
        try (var client = dynamo.client()) {
            new Tables(client, dynamo).create();
        }
        String bucket = "chatapp-aot-" + System.nanoTime();
        try (var client = new chatapp.aws.media.S3Settings(MotoServer.REGION, moto.endpoint(), bucket,
                MotoServer.CREDENTIALS).client()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", MotoServer.REGION.id(), "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "CHATAPP_STORE", "dynamodb", "CHATAPP_DYNAMODB_ENDPOINT", moto.endpoint().toString(),
                "CHATAPP_TABLE_PREFIX", prefix, "CHATAPP_SIGNING_KEY", AwsTestEnvironment.SIGNING_KEY,
                "CHATAPP_MEDIA", "s3", "CHATAPP_S3_BUCKET", bucket));
        env.putAll(Map.of("CHATAPP_S3_ENDPOINT", moto.endpoint().toString(),
                "CHATAPP_REALTIME", "apigateway", "CHATAPP_APIGATEWAY_ENDPOINT", "http://127.0.0.1:9/unused",
                "CHATAPP_WEBSOCKET_URL", "wss://example.invalid/ws"));
        try (Server server = Server.start("aot-aws", env)) {
            server.awaitReady();
            assertThat(server.log()).contains("Starting AOT-processed");
            JsonNode account = register(server, 201);
            String token = account.path("accessToken").asString();
            // the account is in DynamoDB (moto), not in a SQLite file under the data directory
            try (var client = dynamo.client()) {
                assertThat(client.scan(b -> b.tableName(prefix + "users")).count()).isEqualTo(1);
            }
            assertThat(server.dir().resolve("data").resolve("chatapp.db")).doesNotExist();
            // a photo goes to S3 and its link is presigned by S3, not signed for this server
            HttpResponse<String> photo = upload(server, token, TestImages.jpegWithGps(200, 100, 1));
            assertThat(photo.statusCode()).as(photo.body()).isEqualTo(201);
            String id = JSON.readTree(photo.body()).path("mediaId").asString();
            HttpResponse<String> link = get(server, "/api/v1/media/" + id + "?variant=original", token);
            assertThat(link.statusCode()).isEqualTo(302);
            assertThat(link.headers().firstValue("Location").orElseThrow())
                    .startsWith(moto.endpoint() + "/" + bucket + "/" + id + "/original?");
            // API Gateway holds the sockets: no /ws here; no disk links, in the API or its document
            assertThat(get(server, "/ws", null).statusCode()).isEqualTo(404);
            assertThat(get(server, MEDIA_FILES + id + "/original", null).statusCode()).isEqualTo(404);
            assertThat(paths(server)).noneMatch(p -> p.startsWith(MEDIA_FILES));
            // the tickets name API Gateway's WebSocket URL
            HttpResponse<String> ticket = http.send(HttpRequest.newBuilder(server.uri("/api/v1/realtime/tickets"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ticket.body()).contains("wss://example.invalid/ws");
        }
    }

    private JsonNode register(Server server, int status) throws IOException, InterruptedException {
        String name = "aot_" + Long.toString(System.nanoTime(), 36);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/api/v1/auth/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"username":"%s","email":"%s@aot.invalid","password":"aot-password-123",
                         "userType":"parent","childrenCount":1}""".formatted(name, name))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> upload(Server server, String token, byte[] jpeg) throws IOException, InterruptedException {
        String boundary = "chatapp-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(server.uri("/api/v1/media")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Server server, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The paths of the OpenAPI document the server serves. */
    private List<String> paths(Server server) throws IOException, InterruptedException {
        HttpResponse<String> doc = get(server, "/v3/api-docs", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        List<String> paths = new java.util.ArrayList<>();
        JSON.readTree(doc.body()).path("paths").propertyNames().forEach(paths::add);
        assertThat(paths).contains("/api/v1/auth/register");
        return paths;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    /** {@code java -jar server/target/chatapp-exec.jar serve} with its own data directory and port. */
    private record Server(Process process, Path dir, URI base) implements AutoCloseable {

        static Server start(String name, Map<String, String> environment) throws IOException {
            Path jar = Path.of("target", "chatapp-exec.jar");
            assertThat(jar).as("the packaged jar (./mvnw package -pl server)").isRegularFile();
            Path dir = Files.createTempDirectory("chatapp-" + name);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toAbsolutePath().toString(), "serve")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("CHATAPP_") || k.startsWith("LOGGING_"));
            builder.environment().putAll(environment);
            builder.environment().put("CHATAPP_PORT", Integer.toString(port));
            builder.environment().put("CHATAPP_DATA_DIR", dir.resolve("data").toString());
            return new Server(builder.start(), dir, URI.create("http://127.0.0.1:" + port));
        }

        URI uri(String path) {
            return base.resolve(path);
        }

        String log() throws IOException {
            return Files.readString(dir.resolve("server.log"));
        }

        void awaitReady() throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(uri("/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the server exited; its log:\n%s", log()).isTrue();
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError("not ready within " + READY_TIMEOUT.toSeconds() + " s; log:\n" + log());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
