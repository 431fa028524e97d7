package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.ChildJvm;
import chatapp.server.RunningServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as an operator meets it: real child processes, one-line refusals. */
public class CommandLineTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondServerOnTheSameDataDirectoryFailsAtOnceWithOneLineAndTheFirstKeepsServing() throws Exception {
        Path dataDir = tmp.resolve("data");
        RunningServer first = new RunningServer().dataDir(dataDir);
        first.beforeAll(null);
        try {
            Result second = chatapp(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + dataDir));
            assertThat(second.status).isEqualTo(1);
            assertThat(second.stderr.strip()).startsWith("chatapp: data directory ").contains("in use by another ChatApp");
            assertThat(second.stderr.strip().lines()).hasSize(1);
            assertThat(first.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        } finally {
            first.afterAll(null);
        }
    }

    @Test
    void aTakenPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result r = chatapp(List.of("serve", "--chatapp.port=" + taken.getLocalPort(),
                    "--chatapp.data-dir=" + tmp.resolve("data")));
            assertThat(r.status).isEqualTo(1);
            assertThat(r.stderr.strip()).isEqualTo("chatapp: port " + taken.getLocalPort()
                    + " is already in use (set CHATAPP_PORT)");
        }
    }

    @Test
    void aSettingThatDoesNotParseIsOneLineNamingItsVariable() throws Exception {
        // Each refusal is its own child process, as an operator meets it; they run side by side
        // (none shares a data directory that another creates), and each is then judged on its own.
        // a @Value setting (the backup's interval) and a bound one (message retention)
        Started backup = start(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("a"),
                "--chatapp.backup.every=soon"));
        Started retention = start(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("b"),
                "--chatapp.retention.messages=bogus"));
        Started limit = start(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("d"),
                "--chatapp.limits.messages-per-minute=-1"));
        Started port = start(List.of("serve", "--chatapp.port=70000", "--chatapp.data-dir=" + tmp.resolve("e")));
        // the pre-start bind of serve, from the environment as README sets it
        Started notANumber = start(List.of("serve", "--chatapp.data-dir=" + tmp.resolve("f")),
                java.util.Map.of("CHATAPP_PORT", "abc"));
        Started empty = start(List.of("serve", "--chatapp.data-dir=" + tmp.resolve("f")), java.util.Map.of("CHATAPP_PORT", ""));
        Started store = start(List.of("serve", "--chatapp.data-dir=" + tmp.resolve("g")),
                java.util.Map.of("CHATAPP_STORE", "postgres"));
        Started email = start(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("c"),
                "--chatapp.email.smtp-host=localhost"));

        Result backupResult = backup.result();
        assertThat(backupResult.status).isEqualTo(1);
        assertThat(backupResult.stderr.strip()).isEqualTo(
                "chatapp: CHATAPP_BACKUP_EVERY (chatapp.backup.every): 'soon' is not a valid duration");
        Result retentionResult = retention.result();
        assertThat(retentionResult.status).isEqualTo(1);
        assertThat(retentionResult.stderr.strip()).isEqualTo(
                "chatapp: CHATAPP_RETENTION_MESSAGES (chatapp.retention.messages): 'bogus' is not a valid duration");
        Result limitResult = limit.result();
        assertThat(limitResult.status).isEqualTo(1);
        assertThat(limitResult.stderr.strip()).isEqualTo("chatapp: CHATAPP_LIMITS_MESSAGES_PER_MINUTE"
                + " (chatapp.limits.messages-per-minute) must be at least 1: -1");
        Result portResult = port.result();
        assertThat(portResult.status).isEqualTo(1);
        assertThat(portResult.stderr.strip()).isEqualTo("chatapp: CHATAPP_PORT (chatapp.port) must be between 0 and 65535: 70000");
        Result notANumberResult = notANumber.result();
        assertThat(notANumberResult.status).isEqualTo(1);
        assertThat(notANumberResult.stderr.strip()).isEqualTo("chatapp: CHATAPP_PORT (chatapp.port): 'abc' is not a number");
        Result emptyResult = empty.result();
        assertThat(emptyResult.status).isEqualTo(1);
        assertThat(emptyResult.stderr.strip()).isEqualTo("chatapp: CHATAPP_PORT (chatapp.port) is empty: give it a value or unset it");
        assertThat(tmp.resolve("f")).as("refused before anything is created").doesNotExist();
        Result storeResult = store.result();
        assertThat(storeResult.status).isEqualTo(1);
        assertThat(storeResult.stderr.strip()).isEqualTo("chatapp: CHATAPP_STORE (chatapp.store): 'postgres' is not one of"
                + " sqlite, dynamodb");
        Result emailResult = email.result();
        assertThat(emailResult.status).isEqualTo(1);
        assertThat(emailResult.stderr.strip()).isEqualTo("chatapp: email needs CHATAPP_EMAIL_APP_URL (the links in emails)"
                + " and CHATAPP_EMAIL_FROM (the sender) besides CHATAPP_EMAIL_SMTP_HOST");
    }

    @Test
    void apiGatewayWebSocketsWithoutDynamoDbAreRefusedInOneLine() throws Exception {
        Result r = chatapp(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("data"),
                "--chatapp.realtime=apigateway", "--chatapp.apigateway-endpoint=http://127.0.0.1:9"));
        assertThat(r.status).isEqualTo(1);
        assertThat(r.stderr.strip()).isEqualTo("chatapp: CHATAPP_REALTIME=apigateway needs CHATAPP_STORE=dynamodb: "
                + "the Lambda handlers behind API Gateway read tickets and connections from DynamoDB");
        assertThat(tmp.resolve("data")).as("refused before anything is created").doesNotExist();
    }

    @Test
    void s3MediaWithoutDynamoDbAreRefusedInOneLine() throws Exception {
        Result r = chatapp(List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("data"),
                "--chatapp.store=sqlite", "--chatapp.media=s3", "--chatapp.s3-bucket=media"));
        assertThat(r.status).isEqualTo(1);
        assertThat(r.stderr.strip()).isEqualTo("chatapp: CHATAPP_MEDIA=s3 needs CHATAPP_STORE=dynamodb: S3 media "
                + "belong to the AWS shape (use CHATAPP_MEDIA=disk with SQLite)");
        assertThat(tmp.resolve("data")).as("refused before anything is created").doesNotExist();
    }

    @Test
    void theAwsShapeWithoutItsBucketOrItsManagementEndpointIsRefusedInOneLine() throws Exception {
        List<String> aws = List.of("serve", "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("data"),
                "--chatapp.store=dynamodb", "--chatapp.dynamodb-endpoint=http://127.0.0.1:9",
                "--chatapp.signing-key=" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Started startedNoBucket = start(concat(aws, "--chatapp.media=s3"));
        Started startedNoEndpoint = start(concat(aws, "--chatapp.realtime=apigateway"));
        Result noBucket = startedNoBucket.result();
        assertThat(noBucket.status).isEqualTo(1);
        assertThat(noBucket.stderr.strip()).isEqualTo("chatapp: CHATAPP_MEDIA=s3 needs CHATAPP_S3_BUCKET: the private "
                + "bucket that holds photos and videos");
        Result noEndpoint = startedNoEndpoint.result();
        assertThat(noEndpoint.status).isEqualTo(1);
        assertThat(noEndpoint.stderr.strip()).isEqualTo("chatapp: CHATAPP_REALTIME=apigateway needs "
                + "CHATAPP_APIGATEWAY_ENDPOINT: the Management API endpoint through which the server posts to API "
                + "Gateway's connections");
    }

    private static List<String> concat(List<String> args, String more) {
        List<String> all = new java.util.ArrayList<>(args);
        all.add(more);
        return all;
    }

    @Test
    void anUnknownCommandPrintsUsage() throws Exception {
        Result r = chatapp(List.of("frobnicate"));
        assertThat(r.status).isEqualTo(2);
        assertThat(r.stderr).contains("unknown command 'frobnicate'").contains("usage: chatapp");
    }

    @Test
    void helpPrintsTheUsageAndStartsNothing() throws Exception {
        for (String help : List.of("help", "--help", "-h")) {
            Result r = chatapp(List.of(help));
            assertThat(r.status).as(help).isZero();
            assertThat(r.stdout).as(help).contains("usage: chatapp");
            assertThat(r.stdout + r.stderr).as(help).doesNotContain("Starting");
        }
    }

    @Test
    void oneSettingTurnsTheLogIntoOneJsonObjectPerLine() throws Exception {
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChatApp.class.getName(), "serve",
                "--chatapp.port=0", "--chatapp.data-dir=" + tmp.resolve("data"),
                "--logging.structured.format.console=ecs"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            List<String> seen = new ArrayList<>();
            for (String line; (line = lines.readLine()) != null; ) {
                seen.add(line);
                if (line.contains("Started ChatApp")) {
                    break;
                }
            }
            assertThat(seen).isNotEmpty().allSatisfy(line -> {
                var node = new tools.jackson.databind.ObjectMapper().readTree(line);
                assertThat(node.has("@timestamp")).as(line).isTrue();
                assertThat(node.has("message")).as(line).isTrue();
            });
            assertThat(seen.getLast()).contains("Started ChatApp");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** What a child {@code chatapp} printed and its exit status. */
    public record Result(int status, String stdout, String stderr) {
    }

    /** Runs {@code chatapp <args>} in a child JVM on the test classpath. */
    public static Result chatapp(List<String> args) throws IOException, InterruptedException {
        return chatapp(args, java.util.Map.of());
    }

    /** Runs {@code chatapp <args>} in a child JVM on the test classpath, with these environment variables added. */
    public static Result chatapp(List<String> args, java.util.Map<String, String> environment)
            throws IOException, InterruptedException {
        return start(args, environment).result();
    }

    /** Starts {@code chatapp <args>} in a child JVM on the test classpath; {@link Started#result()} waits for it. */
    static Started start(List<String> args) throws IOException {
        return start(args, java.util.Map.of());
    }

    /** Starts {@code chatapp <args>} in a child JVM on the test classpath, with these environment variables added. */
    static Started start(List<String> args, java.util.Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChatApp.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile("chatapp-out", ".txt");
        Path err = Files.createTempFile("chatapp-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new Started(args, builder.start(), out, err);
    }

    /** A child {@code chatapp} started, not yet waited for. */
    record Started(List<String> args, Process process, Path out, Path err) {

        /** Waits for its end (at most 300 s) and returns what it printed and its exit status. */
        Result result() throws IOException, InterruptedException {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chatapp " + args + " did not exit within 300 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }
}
