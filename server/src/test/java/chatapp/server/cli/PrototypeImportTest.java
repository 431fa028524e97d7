package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.AccountImport;
import chatapp.account.User;
import chatapp.aws.AwsShape;
import chatapp.aws.DynamoFixture;
import chatapp.aws.MotoServer;
import chatapp.chat.ChatStore;
import chatapp.chat.ConversationImport;
import chatapp.chat.ConversationState;
import chatapp.chat.InboxEntry;
import chatapp.chat.Message;
import chatapp.core.Shape;
import chatapp.embedded.EmbeddedShape;
import chatapp.media.Media;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.ChildJvm;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./chatapp import-prototype} as an operator runs it (issue 23): a child process reading
 * the prototype's tables from moto or a DynamoDB JSON export, into SQLite and into DynamoDB
 * (moto); killed once mid-way and resumed, run again to change nothing; then the imported
 * accounts log in over real HTTP.
 */
class PrototypeImportTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture DYNAMO = new DynamoFixture();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void anExportComesIntoSqliteKilledOnceResumedThenRunAgainChangingNothing() throws Exception {
        Path data = tmp.resolve("data");
        try (PrototypeFixture prototype = new PrototypeFixture()) {
            Path[] export = prototype.writeExport(tmp.resolve("export"));
            List<String> args = List.of("import-prototype", "--users-export=" + export[0],
                    "--chats-export=" + export[1], "--report=" + tmp.resolve("report.json"),
                    "--checkpoint=" + tmp.resolve("checkpoint.json"), "--allow-private-media-hosts", "--chatapp.data-dir=" + data);

            // 1. killed while it fetches the photo (the first messages of that conversation are stored)
            prototype.holdPhoto = new CountDownLatch(1);
            Process killed = start(args, Map.of());
            assertThat(prototype.photoRequested.await(240, TimeUnit.SECONDS)).as("the import reached the photo").isTrue();
            killed.destroyForcibly();
            assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
            prototype.holdPhoto.countDown();
            prototype.holdPhoto = null;
            assertThat(tmp.resolve("report.json")).as("no report from a killed run").doesNotExist();

            // 2. resumed: completes, nothing twice
            CommandLineTest.Result resumed = CommandLineTest.chatapp(args);
            assertThat(resumed.status()).as(resumed.stderr()).isZero();
            assertThat(resumed.stdout()).contains("report written to");
            JsonNode report = JSON.readTree(Files.readString(tmp.resolve("report.json")));
            assertThat(report.path("counts").path("messages").path("alreadyThere").asInt())
                    .as("messages stored before the kill are found, not sent again").isGreaterThanOrEqualTo(2);
            assertThat(tmp.resolve("checkpoint.json")).as("a completed import leaves no checkpoint").doesNotExist();
            assertRefusals(report, true);

            Map<String, Object> afterImport;
            try (EmbeddedShape shape = EmbeddedShape.open(data, true, Clock.systemUTC())) {
                assertImported(shape);
                afterImport = snapshot(shape);
            }

            // 3. run again: nothing changes, no media fetched again
            int photoRequests = prototype.photoRequests.get();
            CommandLineTest.Result again = CommandLineTest.chatapp(args);
            assertThat(again.status()).as(again.stderr()).isZero();
            JsonNode second = JSON.readTree(Files.readString(tmp.resolve("report.json")));
            assertThat(second.path("counts").path("messages").path("created").asInt()).isZero();
            assertThat(second.path("counts").path("messages").path("alreadyThere").asInt())
                    .isEqualTo(PrototypeFixture.GOOD_MESSAGES);
            assertThat(second.path("counts").path("users").path("alreadyThere").asInt()).isEqualTo(3);
            assertThat(prototype.photoRequests.get()).isEqualTo(photoRequests);
            try (EmbeddedShape shape = EmbeddedShape.open(data, true, Clock.systemUTC())) {
                assertThat(snapshot(shape)).isEqualTo(afterImport);
            }
        }

        // 4. the accounts over real HTTP
        RunningServer server = new RunningServer().dataDir(data);
        server.start();
        try {
            assertLogins(server);
        } finally {
            server.stop();
        }
        try (EmbeddedShape shape = EmbeddedShape.open(data, true, Clock.systemUTC())) {
            assertThat(shape.users().findByEmail(PrototypeFixture.BOB_EMAIL).orElseThrow().passwordHash())
                    .as("bcrypt upgraded at login").startsWith("{argon2}");
        }
    }

    @Test
    void theDynamoDbTablesComeIntoDynamoDbTwiceChangingNothing() throws Exception {
        MotoServer moto = DYNAMO.moto();
        Path data = tmp.resolve("data");
        try (PrototypeFixture prototype = new PrototypeFixture()) {
            prototype.writeTables(DYNAMO.client());
            List<String> args = List.of("import-prototype", "--source-endpoint=" + moto.endpoint(),
                    "--source-region=" + MotoServer.REGION.id(), "--report=" + tmp.resolve("report.json"),
                    "--checkpoint=" + tmp.resolve("checkpoint.json"), "--allow-private-media-hosts", "--chatapp.data-dir=" + data,
                    "--chatapp.store=dynamodb", "--chatapp.dynamodb-endpoint=" + moto.endpoint(),
                    "--chatapp.table-prefix=test-", "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY);
            Map<String, String> env = Map.of("AWS_REGION", MotoServer.REGION.id(), "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test");

            Result first = run(args, env);
            assertThat(first.status()).as(first.stderr()).isZero();
            JsonNode report = JSON.readTree(Files.readString(tmp.resolve("report.json")));
            assertThat(report.path("counts").path("messages").path("created").asInt())
                    .isEqualTo(PrototypeFixture.GOOD_MESSAGES);
            assertRefusals(report, false);
            Map<String, Object> afterImport;
            try (AwsShape shape = new AwsShape(moto.dynamoSettings("test-"), null, null)) {
                assertImported(shape);
                afterImport = snapshot(shape);
            }

            int photoRequests = prototype.photoRequests.get();
            Result second = run(args, env);
            assertThat(second.status()).as(second.stderr()).isZero();
            JsonNode again = JSON.readTree(Files.readString(tmp.resolve("report.json")));
            assertThat(again.path("counts").path("messages").path("created").asInt()).isZero();
            assertThat(prototype.photoRequests.get()).isEqualTo(photoRequests);
            try (AwsShape shape = new AwsShape(moto.dynamoSettings("test-"), null, null)) {
                assertThat(snapshot(shape)).isEqualTo(afterImport);
            }
        }

        RunningServer server = DynamoShape.server().dataDir(data);
        server.start();
        try {
            assertLogins(server);
        } finally {
            server.stop();
        }
        try (AwsShape shape = new AwsShape(moto.dynamoSettings("test-"), null, null)) {
            assertThat(shape.users().findByEmail(PrototypeFixture.BOB_EMAIL).orElseThrow().passwordHash())
                    .as("bcrypt upgraded at login").startsWith("{argon2}");
        }
    }

    @Test
    void chatAppsOwnTablesAreRefusedAsTheSource() throws Exception {
        Result r = run(List.of("import-prototype", "--chatapp.store=dynamodb", "--chatapp.data-dir=" + tmp.resolve("data"),
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY), Map.of());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr().strip()).startsWith("chatapp: import-prototype: the source tables are ChatApp's own");
    }

    private static void assertRefusals(JsonNode report, boolean fromExport) {
        List<String> reasons = new ArrayList<>();
        report.path("refused").values().forEach(r -> reasons.add(r.path("table").asString() + " "
                + r.path("key").asString("") + ": " + r.path("reason").asString()));
        assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("users u-carl: username: must be 3 to 32"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("the media URL answered HTTP 404"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("no content {type, value}"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("c3/").contains("senderId: no such account"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("c4/").contains("senderId: no such account"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("control characters"));
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("both participants are parents"));
        if (fromExport) {
            assertThat(reasons).anySatisfy(r -> assertThat(r).isEqualTo("users : not JSON"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).isEqualTo("users : no userId"));
        }
        assertThat(reasons).hasSize(fromExport ? 9 : 7);
        JsonNode users = report.path("counts").path("users");
        assertThat(users.path("created").asInt() + users.path("createdMustResetPassword").asInt()
                + users.path("alreadyThere").asInt()).isEqualTo(3);
        assertThat(report.path("userIds").path("u-bob").asString()).isEqualTo(AccountImport.userId("u-bob"));
        assertThat(report.toString()).doesNotContain("Tuesday").doesNotContain(PrototypeFixture.FATIMA_CLEAR_TEXT)
                .doesNotContain("photo.png").doesNotContain(PrototypeFixture.BOB_EMAIL);
    }

    /** What the import must have stored, the same on both stores. */
    private static void assertImported(Shape shape) {
        User bob = shape.users().findByEmail(PrototypeFixture.BOB_EMAIL).orElseThrow();
        User fatima = shape.users().findByEmail(PrototypeFixture.FATIMA_EMAIL).orElseThrow();
        User dana = shape.users().findByEmail(PrototypeFixture.DANA_EMAIL).orElseThrow();
        assertThat(bob.userId()).isEqualTo(AccountImport.userId("u-bob"));
        assertThat(bob.username()).isEqualTo("bobproto");
        assertThat(bob.specialization()).isEqualTo("Speech therapy");
        assertThat(bob.createdAt()).isEqualTo(Instant.parse("2024-01-05T09:00:00.123Z"));
        assertThat(fatima.passwordHash()).isEqualTo(AccountImport.RESET_REQUIRED);
        assertThat(fatima.childrenCount()).isEqualTo(2);
        assertThat(dana.createdAt()).isEqualTo(Instant.ofEpochSecond(1704531600));
        assertThat(shape.users().findByEmail(PrototypeFixture.CARL_EMAIL)).isEmpty();

        ChatStore chats = shape.chats();
        String withFatima = ConversationImport.conversationId(bob.userId(), fatima.userId());
        List<Message> messages = history(chats, withFatima);
        assertThat(messages).extracting(Message::createdAt).containsExactly(
                Instant.parse("2024-02-01T10:00:00Z"), Instant.parse("2024-02-01T10:06:00Z"),
                Instant.parse("2024-02-02T08:00:00Z"), Instant.parse("2024-02-02T09:00:00Z"));
        assertThat(messages).extracting(Message::readAt).containsExactly(
                Instant.parse("2024-02-01T10:05:00Z"), Instant.parse("2024-02-01T11:00:00Z"), null, null);
        assertThat(messages).extracting(Message::senderId).containsExactly(fatima.userId(), bob.userId(),
                fatima.userId(), bob.userId());
        assertThat(messages.get(0).content().value()).isEqualTo("Hello, is Tuesday fine?");
        Message photo = messages.get(2);
        assertThat(photo.content().contentType()).isEqualTo("image");
        assertThat(photo.media()).isNotNull();
        assertThat(photo.media().width()).isEqualTo(40);
        Media stored = shape.media().find(photo.media().mediaId()).orElseThrow();
        assertThat(stored.ownerId()).isEqualTo(fatima.userId());
        assertThat(stored.thumbnailKey()).as("through the media pipeline").isNotNull();
        assertThat(shape.media().isViewer(stored.mediaId(), bob.userId())).isTrue();

        InboxEntry bobs = chats.inboxEntry(bob.userId(), withFatima).orElseThrow();
        InboxEntry fatimas = chats.inboxEntry(fatima.userId(), withFatima).orElseThrow();
        assertThat(bobs.unreadCount()).isEqualTo(1);
        assertThat(fatimas.unreadCount()).isEqualTo(1);
        assertThat(bobs.consent().state()).isEqualTo(ConversationState.ACCEPTED);
        assertThat(bobs.lastMessage().messageId()).isEqualTo(messages.get(3).messageId());
        assertThat(bobs.updatedAt()).isEqualTo(Instant.parse("2024-02-02T09:00:00Z"));

        String withDana = ConversationImport.conversationId(bob.userId(), dana.userId());
        List<Message> danas = history(chats, withDana);
        assertThat(danas).extracting(Message::senderId).containsExactly(dana.userId(), bob.userId());
        assertThat(danas.get(1).readAt()).isEqualTo(Instant.ofEpochMilli(1706786000000L));
        assertThat(danas.get(1).createdAt()).isEqualTo(Instant.ofEpochMilli(1706785200500L));
        assertThat(chats.inboxEntry(bob.userId(), withDana).orElseThrow().unreadCount()).isEqualTo(1);
        assertThat(chats.inboxEntry(dana.userId(), withDana).orElseThrow().unreadCount()).isZero();
        assertThat(chats.inbox(bob.userId(), 50, null).items()).hasSize(2);
    }

    /** The conversation's messages, oldest first. */
    private static List<Message> history(ChatStore chats, String conversationId) {
        return chats.before(conversationId, null, 100).reversed();
    }

    /** Every imported account's inbox and every conversation's messages. */
    private static Map<String, Object> snapshot(Shape shape) {
        Map<String, Object> all = new TreeMap<>();
        for (String proto : List.of("u-bob", "u-fatima", "u-dana", "u-carl")) {
            String id = AccountImport.userId(proto);
            all.put("user " + proto, shape.users().findById(id));
            List<InboxEntry> inbox = shape.chats().inbox(id, 50, null).items();
            all.put("inbox " + proto, inbox);
            inbox.forEach(e -> all.put("messages " + e.conversationId(), history(shape.chats(), e.conversationId())));
        }
        return all;
    }

    private static void assertLogins(RunningServer server) {
        var bob = server.post("/api/v1/auth/login", "{\"email\":\"" + PrototypeFixture.BOB_EMAIL + "\",\"password\":\""
                + PrototypeFixture.BOB_PASSWORD + "\"}", null);
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);
        var again = server.post("/api/v1/auth/login", "{\"email\":\"" + PrototypeFixture.BOB_EMAIL
                + "\",\"password\":\"" + PrototypeFixture.BOB_PASSWORD + "\"}", null);
        assertThat(again.statusCode()).as("the upgraded hash verifies").isEqualTo(200);
        var wrong = server.post("/api/v1/auth/login", "{\"email\":\"" + PrototypeFixture.DANA_EMAIL
                + "\",\"password\":\"not-danas-password\"}", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        var fatima = server.post("/api/v1/auth/login", "{\"email\":\"" + PrototypeFixture.FATIMA_EMAIL
                + "\",\"password\":\"" + PrototypeFixture.FATIMA_CLEAR_TEXT + "\"}", null);
        assertThat(fatima.statusCode()).isEqualTo(403);
        assertThat(fatima.body()).contains("\"code\":\"password_reset_required\"");
    }

    record Result(int status, String stdout, String stderr) {
    }

    /** A child {@code chatapp} with {@code env} added, run to its end. */
    private Result run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = builder(args, env).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chatapp " + args + " did not exit within 300 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Process start(List<String> args, Map<String, String> env) throws IOException {
        return builder(args, env).redirectOutput(tmp.resolve("killed-out.txt").toFile())
                .redirectError(tmp.resolve("killed-err.txt").toFile()).start();
    }

    private static ProcessBuilder builder(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChatApp.class.getName()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().putAll(env);
        return b;
    }
}
