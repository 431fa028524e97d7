package chatapp.server.cli;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.AuditStore;
import chatapp.audit.Who;
import chatapp.aws.AwsShape;
import chatapp.aws.DynamoSettings;
import chatapp.core.CursorCodec;
import chatapp.core.Shape;
import chatapp.embedded.DataDirectoryException;
import chatapp.embedded.EmbeddedShape;
import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import chatapp.server.audit.AuditProperties;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code chatapp audit verify} and {@code chatapp audit export} (docs/audit.md), on the
 * configured store: the SQLite file under the data directory (the server must be stopped: one
 * process holds the directory) or, with {@code CHATAPP_STORE=dynamodb} and the AWS settings,
 * the DynamoDB table.
 */
final class AuditCommands {

    static final String USAGE = """
            usage: chatapp audit verify [--since YYYY-MM-DD] [--chatapp.<property>=<value> ...]
                   chatapp audit export [--user USER_ID] [--from DATE|INSTANT] [--to DATE|INSTANT] [--chatapp...]
              verify  checks every link of every chain; prints the first broken one (exit status 3)
              export  prints entries as JSON Lines, oldest first; --from inclusive (default 30 days ago),
                      --to exclusive (default now); a DATE is that day's start, UTC""";

    private AuditCommands() {
    }

    /** Runs {@code audit <sub> ...}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("verify") || args[0].equals("export"))) {
            err.println("chatapp: audit needs verify or export");
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        List<String> configuration = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--chatapp.")) {
                configuration.add(a);
                continue;
            }
            String name = a.startsWith("--") ? a.substring(2) : null;
            String value = null;
            if (name != null && name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            } else if (name != null && i + 1 < args.length) {
                value = args[++i];
            }
            if (name == null || value == null || !List.of("since", "user", "from", "to").contains(name)) {
                err.println("chatapp: audit: unknown or incomplete option '" + a + "'");
                err.println(USAGE);
                return 2;
            }
            options.put(name, value);
        }
        String[] config = configuration.toArray(String[]::new);
        ChatAppProperties properties = ChatApp.bind(config);
        AuditProperties auditProperties = ChatApp.bind("chatapp.audit", AuditProperties.class, config);
        Clock clock = Clock.systemUTC();
        try (Shape shape = open(properties, clock)) {
            AuditLog audit = log(shape.audit(), clock, auditProperties);
            if (args[0].equals("verify")) {
                return verify(audit, options.get("since"), out);
            }
            Instant now = clock.instant();
            Instant from = instant("from", options.getOrDefault("from", null), now.minus(Duration.ofDays(30)));
            Instant to = instant("to", options.getOrDefault("to", null), now);
            String user = options.get("user");
            long[] count = {0};
            audit.export(from, to, user, e -> {
                out.println(AuditLog.jsonLine(e));
                count[0]++;
            });
            Map<String, String> detail = new TreeMap<>(Map.of("from", from.toString(), "to", to.toString(),
                    "entries", Long.toString(count[0])));
            if (user != null) {
                detail.put("user", user);
            }
            audit.record(Who.operator(), AuditAction.ADMIN_COMMAND, "audit export", detail);
            return 0;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new OperatorError("audit: the DynamoDB table could not be read: " + e.getMessage());
        }
    }

    /** Records a command of the command line that changed data, on the store it changed. */
    static void recordCommand(Shape shape, AuditProperties properties, String command, Map<String, String> detail) {
        log(shape.audit(), Clock.systemUTC(), properties).record(Who.operator(), AuditAction.ADMIN_COMMAND, command, detail);
    }

    private static AuditLog log(AuditStore store, Clock clock, AuditProperties properties) {
        // No list is paged here: the cursor key only has to exist.
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AuditLog(store, new CursorCodec(key), clock, properties.retention());
    }

    private static int verify(AuditLog audit, String since, PrintStream out) {
        AuditLog.Verification v;
        if (since == null) {
            v = audit.verify();
        } else {
            try {
                v = audit.verify(LocalDate.parse(since));
            } catch (DateTimeParseException e) {
                throw new OperatorError("audit verify: --since must be a date such as 2026-01-31, not '" + since + "'");
            }
        }
        if (v.intact()) {
            out.println("audit log intact: " + v.entries() + " entries in " + v.chains() + " chains");
            return 0;
        }
        AuditLog.Break b = v.firstBreak();
        out.println("audit log BROKEN at chain " + b.chain() + ", entry " + b.seq() + " (" + b.at() + "): " + b.reason());
        out.println("(" + v.entries() + " entries checked before it)");
        return 3;
    }

    private static Instant instant(String option, String value, Instant otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new OperatorError("audit export: --" + option + " must be a date (2026-11-01) or an instant "
                    + "(2026-11-01T08:00:00Z), not '" + value + "'");
        }
    }

    /** The configured store: DynamoDB with {@code chatapp.store=dynamodb}, else the SQLite file of the data directory. */
    static Shape open(ChatAppProperties properties, Clock clock) {
        if (properties.store() == ChatAppProperties.Store.DYNAMODB) {
            return new AwsShape(new DynamoSettings(null, properties.dynamodbEndpoint(), properties.tablePrefix(), null),
                    null, null);
        }
        try {
            return EmbeddedShape.open(properties.dataDir(), true, clock);
        } catch (DataDirectoryException e) {
            throw new OperatorError(e.getMessage() + " (stop the server first: one process holds the data directory)");
        }
    }
}
