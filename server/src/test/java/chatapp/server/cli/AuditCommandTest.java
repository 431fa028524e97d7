package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.aws.DynamoFixture;
import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code chatapp audit verify} and {@code chatapp audit export} (docs/audit.md) on both stores:
 * the entries a server wrote come out as JSON Lines, an intact log verifies, and an entry
 * deleted or altered behind ChatApp's back is reported as the first broken link.
 */
class AuditCommandTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Verification walks one day at a time; the default (the whole retention) is run once, on SQLite. */
    private static final String SINCE = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(2).toString();

    private record Run(int status, String out, String err) {
    }

    private static Run chatapp(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onSqliteExportGivesAUsersEntriesAndVerifyFindsADeletedOne() throws Exception {
        Path dataDir = Files.createTempDirectory("chatapp-audit-cli").resolve("data");
        RunningServer server = new RunningServer().dataDir(dataDir);
        server.start();
        Session parent;
        try {
            parent = TestAccounts.register(server, UserType.PARENT);
            for (int i = 0; i < 3; i++) {
                TestAccounts.login(server, parent);
            }
        } finally {
            server.stop();
        }
        String dir = "--chatapp.data-dir=" + dataDir;

        Run verified = chatapp("audit", "verify", dir);
        assertThat(verified.status()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("audit log intact");

        Run exported = chatapp("audit", "export", "--user", parent.userId(), "--from", "2020-01-01", dir);
        assertThat(exported.status()).as(exported.err()).isZero();
        List<JsonNode> lines = exported.out().lines().map(JSON::readTree).toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> {
            assertThat(l.path("action").asString()).isEqualTo("SIGN_IN");
            assertThat(l.path("actor").asString()).isEqualTo(parent.userId());
            assertThat(l.path("address").asString()).isEqualTo("127.0.0.1");
        });
        assertThat(lines.get(1).path("previousHash").asString()).isEqualTo(lines.get(0).path("hash").asString());

        Run noOption = chatapp("audit", "export", "--user");
        assertThat(noOption.status()).isEqualTo(2);
        assertThat(noOption.err()).contains("incomplete option");
        Run badDate = chatapp("audit", "export", "--from", "last-month", dir);
        assertThat(badDate.status()).isEqualTo(2);
        assertThat(badDate.err()).contains("--from must be a date").contains("usage: chatapp audit");

        // an entry removed behind ChatApp's back
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("chatapp.db"));
                PreparedStatement delete = db.prepareStatement("delete from audit_log where chain = ? and seq = 2")) {
            delete.setString(1, "security#" + parent.userId());
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        Run broken = chatapp("audit", "verify", "--since", SINCE, dir);
        assertThat(broken.status()).isEqualTo(3);
        assertThat(broken.out()).contains("BROKEN at chain security#" + parent.userId() + ", entry 3")
                .contains("entry 2 is missing before its expiry");
    }

    /** A wrong or missing argument: one line saying which, the usage, exit status 2, and no store opened. */
    @Test
    void wrongOrMissingArgumentsPrintTheUsageAndExitWith2() throws Exception {
        Path dataDir = Files.createTempDirectory("chatapp-audit-usage").resolve("never-opened");
        String dir = "--chatapp.data-dir=" + dataDir;
        Map<List<String>, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put(List.of("audit"), "verify or export is missing");
        wrong.put(List.of("audit", "check", dir), "'check' is not verify or export");
        wrong.put(List.of("audit", "--since", "2026-01-01", dir), "is not verify or export");
        wrong.put(List.of("audit", "verify", "--user", "u1", dir), "unknown option '--user' for verify");
        wrong.put(List.of("audit", "export", "--since", "2026-01-01", dir), "unknown option '--since' for export");
        wrong.put(List.of("audit", "verify", "extra", dir), "unknown option 'extra'");
        wrong.put(List.of("audit", "verify", "--since", dir), "--since needs a value");
        wrong.put(List.of("audit", "verify", "--since=", dir), "--since needs a value");
        wrong.put(List.of("audit", "export", dir, "--user"), "--user needs a value");
        wrong.put(List.of("audit", "export", "--user", "--from", "2026-01-01", dir), "--user needs a value");
        wrong.put(List.of("audit", "verify", "--since", "yesterday", dir), "--since must be a date");
        wrong.put(List.of("audit", "verify", "--since", "2026-02-30", dir), "--since must be a date");
        wrong.put(List.of("audit", "export", "--to", "2026-11-01T08:00", dir), "--to must be a date");
        wrong.put(List.of("audit", "export", "--from", "2026-11-02", "--to", "2026-11-01", dir), "must be before --to");
        wrong.put(List.of("audit", "export", "--user", "a", "--user=b", dir), "--user is given twice");
        wrong.forEach((args, says) -> {
            Run run = chatapp(args.toArray(String[]::new));
            assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).as(String.join(" ", args)).contains(says).contains(AuditCommands.USAGE)
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(run.out()).isEmpty();
        });
        assertThat(dataDir).as("no store was opened").doesNotExist();

        // a mistyped data directory is refused, never made into an empty store whose log is "intact"
        for (String command : List.of("verify", "export")) {
            Run missing = chatapp("audit", command, dir);
            assertThat(missing.status()).as(command).isEqualTo(1);
            assertThat(missing.err()).as(command).contains("no ChatApp database in " + dataDir);
            assertThat(missing.out()).as(command).doesNotContain("intact");
        }
        // a user id may start with dashes (base64url): it is the value of --user, not an option
        Run dashes = chatapp("audit", "export", "--user", "--a1b2", "--from", "2026-01-01", dir);
        assertThat(dashes.status()).as(dashes.err()).isEqualTo(1);
        assertThat(dashes.err()).contains("no ChatApp database");
        assertThat(dataDir).as("no store was made").doesNotExist();

        Run help = chatapp("audit", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains(AuditCommands.USAGE);
    }

    @Test
    void onDynamoDbCommandsAreRecordedExportedAndAnAlteredEntryIsFound() {
        MotoServer moto = MotoServer.get();
        AwsTestEnvironment.use(moto);
        String[] aws = {"--chatapp.store=dynamodb", "--chatapp.dynamodb-endpoint=" + moto.endpoint(),
                "--chatapp.table-prefix=" + dynamo.settings().tablePrefix()};
        for (int i = 0; i < 3; i++) {
            Run created = chatapp(concat(new String[] {"create-tables"}, aws));
            assertThat(created.status()).as(created.err()).isZero();
        }

        Run exported = chatapp(concat(new String[] {"audit", "export", "--user", "operator"}, aws));
        assertThat(exported.status()).as(exported.err()).isZero();
        List<JsonNode> lines = exported.out().lines().map(JSON::readTree).toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> {
            assertThat(l.path("action").asString()).isEqualTo("ADMIN_COMMAND");
            assertThat(l.path("target").asString()).isEqualTo("create-tables");
        });
        Run verified = chatapp(concat(new String[] {"audit", "verify", "--since=" + SINCE}, aws));
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("intact: 4 entries in 1 chains"); // the export was recorded too

        // an attacker with write access changes who did it, keeping the hash
        String table = dynamo.settings().tableName(Tables.AUDIT.name());
        Map<String, AttributeValue> key = Map.of("chain", AttributeValue.fromS("admin#operator"), "seq", AttributeValue.fromN("2"));
        dynamo.client().updateItem(b -> b.tableName(table).key(key).updateExpression("SET actor = :a")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("someone-else"))));
        Run broken = chatapp(concat(new String[] {"audit", "verify", "--since", SINCE}, aws));
        assertThat(broken.status()).isEqualTo(3);
        assertThat(broken.out()).contains("BROKEN at chain admin#operator, entry 2").contains("altered");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
