package chatapp.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.embedded.SqliteDatabase;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.cli.ChatApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code chatapp backup} while a real server takes sends over real sockets, then
 * {@code chatapp restore} and a second server on the copy (docs/operations.md, "Backup");
 * and a backup process killed half-way, which must leave the destination valid.
 */
class BackupTest {

    private static final String[] RAISED_LIMITS = {"--chatapp.limits.messages-per-minute=100000000",
        "--chatapp.limits.message-burst=100000000"};

    @RegisterExtension
    static final RunningServer server = new RunningServer(RAISED_LIMITS);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

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

    private static HttpResponse<String> send(RunningServer s, Session from, String c, String clientMessageId,
            String contentType, String value) {
        return s.post("/api/v1/conversations/" + c + "/messages", "{\"clientMessageId\":\"" + clientMessageId
                + "\",\"content\":{\"contentType\":\"" + contentType + "\",\"value\":\"" + value + "\"}}",
                from.accessToken());
    }

    /** Every message id of the conversation, following the cursors. */
    private static Set<String> history(RunningServer s, Session who, String c) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            HttpResponse<String> r = s.get("/api/v1/conversations/" + c + "/messages?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), who.accessToken());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode page = json(r);
            page.get("items").forEach(m -> ids.add(m.get("messageId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return ids;
    }

    @Test
    void aBackupTakenDuringSendsHoldsEveryAckedMessageAndRestoresIntoAServingServer() throws Exception {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(server, parent, therapist);
        byte[] png = TestImages.png(40, 30, false);
        HttpResponse<String> upload = server.send(HttpRequest.newBuilder(server.uri("/api/v1/media"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String mediaId = json(upload).get("mediaId").asString();
        HttpResponse<String> photo = send(server, parent, c, "photo-1", "image", mediaId);
        assertThat(photo.statusCode()).as(photo.body()).isEqualTo(201);

        // Load: senders on both sides over real HTTP, each ack noted with the time it arrived.
        record Acked(String messageId, long at) {
        }
        ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Session from = t % 2 == 0 ? parent : therapist;
            int sender = t;
            running.add(senders.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    HttpResponse<String> r = send(server, from, c, "load-" + sender + "-" + i, "text", "hello " + i);
                    if (r.statusCode() != 201) {
                        throw new AssertionError("send answered " + r.statusCode() + ": " + r.body());
                    }
                    acked.add(new Acked(json(r).get("messageId").asString(), System.nanoTime()));
                }
                return null;
            }));
        }
        Thread.sleep(1500);
        long backupStart = System.nanoTime();
        Path dest = tmp.resolve("backups");
        Run backup = cli("backup", dest.toString(), "--chatapp.data-dir=" + server.dataDir());
        long sentDuring = acked.stream().filter(a -> a.at() > backupStart).count();
        Thread.sleep(300);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        senders.shutdown();
        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("database chatapp.db", "media: 2 copied, 0 unchanged", "manifest MANIFEST.sha256");
        Set<String> before = new HashSet<>();
        acked.stream().filter(a -> a.at() < backupStart).forEach(a -> before.add(a.messageId()));
        before.add(json(photo).get("messageId").asString());
        assertThat(before).hasSizeGreaterThan(10);
        assertThat(sentDuring).as("the server kept acking sends while the backup ran").isPositive();

        // The manifest is sha256sum's format.
        Path latest = dest.resolve(Files.readSymbolicLink(dest.resolve("latest")));
        List<String> lines = Files.readAllLines(latest.resolve("MANIFEST.sha256"));
        assertThat(lines).anyMatch(l -> l.matches("[0-9a-f]{64}  chatapp\\.db"))
                .anyMatch(l -> l.endsWith("  media/" + mediaId + "/original"))
                .anyMatch(l -> l.endsWith("  signing-key"));

        // Incremental: a second backup links the unchanged media instead of copying them.
        Run second = cli("backup", dest.toString(), "--chatapp.data-dir=" + server.dataDir(), "--keep=1");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("media: 0 copied, 2 unchanged").contains("(deleted 1 older)");
        try (Stream<Path> entries = Files.list(dest)) {
            assertThat(entries.filter(p -> p.getFileName().toString().startsWith("backup-"))).hasSize(1);
        }

        // Restore refuses a data directory in use, then fills an empty one.
        Run refused = cli("restore", dest.toString(), "--chatapp.data-dir=" + server.dataDir());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("is not empty");
        Path restored = tmp.resolve("restored");
        Run restore = cli("restore", dest.toString(), "--chatapp.data-dir=" + restored);
        assertThat(restore.status()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("verified", "restored");

        RunningServer copy = new RunningServer(RAISED_LIMITS).dataDir(restored);
        copy.start();
        try {
            Session again = TestAccounts.login(copy, parent);
            assertThat(history(copy, again, c)).containsAll(before);
            // The signing key came along: tokens issued before the backup still work there.
            assertThat(copy.get("/api/v1/users/me", therapist.accessToken()).statusCode()).isEqualTo(200);
            HttpResponse<String> link = copy.get("/api/v1/media/" + mediaId, again.accessToken());
            assertThat(link.statusCode()).isEqualTo(302);
            String location = link.headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> bytes = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(copy.uri("/").resolve(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(bytes.statusCode()).isEqualTo(200);
            assertThat(bytes.body()).isNotEmpty();
            HttpResponse<String> more = send(copy, again, c, "after-restore", "text", "still here");
            assertThat(more.statusCode()).as(more.body()).isEqualTo(201);
        } finally {
            copy.stop();
        }
    }

    @Test
    void restoreRefusesABackupThatDiffersFromItsManifest() throws IOException {
        Path data = tmp.resolve("data");
        SqliteDatabase.open(data).close();
        Path dest = tmp.resolve("backups");
        assertThat(cli("backup", dest.toString(), "--chatapp.data-dir=" + data).status()).isZero();
        Path latest = dest.resolve(Files.readSymbolicLink(dest.resolve("latest")));
        Files.write(latest.resolve("chatapp.db"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);

        Run restore = cli("restore", latest.toString(), "--chatapp.data-dir=" + tmp.resolve("restored"));
        assertThat(restore.status()).isEqualTo(1);
        assertThat(restore.err()).contains("differ from MANIFEST.sha256").contains("chatapp.db");
        assertThat(tmp.resolve("restored")).doesNotExist();
    }

    @Test
    void aRestoredDataDirectoryKeepsTheWebPushKeysOwnerOnly() throws Exception {
        Path data = tmp.resolve("data");
        SqliteDatabase.open(data).close();
        String publicKey = chatapp.notification.VapidKeyPair.fromDataDir(data).getX509PublicKey();
        Path dest = tmp.resolve("backups");
        Run backup = cli("backup", dest.toString(), "--chatapp.data-dir=" + data);
        assertThat(backup.status()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("push keys vapid-keys");
        Path latest = dest.resolve(Files.readSymbolicLink(dest.resolve("latest")));
        assertThat(Files.readAllLines(latest.resolve("MANIFEST.sha256"))).anyMatch(l -> l.endsWith("  vapid-keys"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(latest.resolve("vapid-keys")))).isEqualTo("rw-------");

        Path restored = tmp.resolve("restored");
        Run restore = cli("restore", dest.toString(), "--chatapp.data-dir=" + restored);
        assertThat(restore.status()).as(restore.err()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(restored.resolve("vapid-keys")))).isEqualTo("rw-------");
        // The same pair, not a new one: every push subscription made before keeps working.
        assertThat(chatapp.notification.VapidKeyPair.fromDataDir(restored).getX509PublicKey()).isEqualTo(publicKey);
    }

    @Test
    void aBackupKilledHalfWayLeavesThePreviousOneValid() throws Exception {
        Path data = tmp.resolve("data");
        SqliteDatabase.open(data).close();
        Path dest = tmp.resolve("backups");
        Run first = cli("backup", dest.toString(), "--chatapp.data-dir=" + data);
        assertThat(first.status()).as(first.err()).isZero();
        Path previous = Files.readSymbolicLink(dest.resolve("latest"));

        // A big media set, so that the next backup is still copying when it is killed.
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("chatapp.db"));
                PreparedStatement insert = db.prepareStatement("insert into media (media_id, owner_id, content_type, "
                        + "size, original_key, created_at, attached) values (?, 'owner', 'image/png', ?, ?, 0, 1)")) {
            for (int i = 0; i < 150; i++) {
                String id = "big" + i;
                random.nextBytes(chunk);
                Path file = data.resolve("media").resolve(id).resolve("original");
                Files.createDirectories(file.getParent());
                Files.write(file, chunk);
                insert.setString(1, id);
                insert.setLong(2, chunk.length);
                insert.setString(3, id + "/original");
                insert.executeUpdate();
            }
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process backup = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "chatapp.server.cli.ChatApp", "backup", dest.toString(), "--chatapp.data-dir=" + data)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("backup.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Path partialMedia = null;
        while (partialMedia == null && backup.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> entries = Files.list(dest)) {
                partialMedia = entries.filter(p -> p.getFileName().toString().startsWith(".partial-"))
                        .map(p -> p.resolve("media")).filter(Files::isDirectory).findAny().orElse(null);
            }
            Thread.sleep(2);
        }
        backup.destroyForcibly().waitFor();
        assertThat(partialMedia).as("the backup was caught copying media (log: %s)",
                Files.readString(tmp.resolve("backup.log"))).isNotNull();
        assertThat(backup.exitValue()).as("killed, not finished").isNotZero();

        // Nothing half-written is taken for a backup: latest still names the previous one, which restores.
        assertThat(Files.readSymbolicLink(dest.resolve("latest"))).isEqualTo(previous);
        Run restore = cli("restore", dest.toString(), "--chatapp.data-dir=" + tmp.resolve("restored"));
        assertThat(restore.status()).as(restore.err()).isZero();
        assertThat(restore.out()).contains(previous.toString());

        // The next backup clears the leftover and completes.
        Run next = cli("backup", dest.toString(), "--chatapp.data-dir=" + data);
        assertThat(next.status()).as(next.err()).isZero();
        assertThat(next.out()).contains("media: 150 copied");
        try (Stream<Path> entries = Files.list(dest)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial-"));
        }
        assertThat(Files.readSymbolicLink(dest.resolve("latest"))).isNotEqualTo(previous);
    }
}
