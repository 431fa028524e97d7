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
                      --to exclusive (default now); a DATE is that day's start, UTC
              exit status 2: a wrong or missing subcommand, option or value (nothing is opened)""";

    private AuditCommands() {
    }

    /** The options of each subcommand. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "verify", List.of("since"),
            "export", List.of("user", "from", "to"));

    /** A command line that does not say a valid audit command: usage and exit status 2. */
    private static final class BadUsage extends Exception {
        BadUsage(String message) {
            super(message, null, false, false);
        }
    }

    /** What the command line asks for, checked before any store is opened. */
    private record Request(String command, LocalDate since, String user, Instant from, Instant to,
            String[] configuration) {
    }

    /**
     * Runs {@code audit <sub> ...}; returns the exit status: 0 done, 2 a wrong or missing
     * subcommand, option or value (the usage is printed), 3 a broken chain ({@code verify}),
     * 1 an operator error (the store cannot be opened or read).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && List.of("help", "--help", "-h").contains(args[0])) {
            out.println(USAGE);
            return 0;
        }
        Clock clock = Clock.systemUTC();
        Request request;
        try {
            request = parse(args, clock.instant());
        } catch (BadUsage e) {
            err.println("chatapp: audit: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ChatAppProperties properties = ChatApp.bind(request.configuration());
        AuditProperties auditProperties = ChatApp.bind("chatapp.audit", AuditProperties.class, request.configuration());
        try (Shape shape = open(properties, clock)) {
            AuditLog audit = log(shape.audit(), clock, auditProperties);
            if (request.command().equals("verify")) {
                return verify(audit, request.since(), out);
            }
            long[] count = {0};
            audit.export(request.from(), request.to(), request.user(), e -> {
                out.println(AuditLog.jsonLine(e));
                count[0]++;
            });
            Map<String, String> detail = new TreeMap<>(Map.of("from", request.from().toString(),
                    "to", request.to().toString(), "entries", Long.toString(count[0])));
            if (request.user() != null) {
                detail.put("user", request.user());
            }
            audit.record(Who.operator(), AuditAction.ADMIN_COMMAND, "audit export", detail);
            return 0;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new OperatorError("audit: the DynamoDB table could not be read: " + e.getMessage());
        }
    }

    private static Request parse(String[] args, Instant now) throws BadUsage {
        if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
            throw new BadUsage(args.length == 0 ? "verify or export is missing"
                    : "'" + args[0] + "' is not verify or export");
        }
        String command = args[0];
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
            } else if (name != null && i + 1 < args.length && !isOption(args[i + 1])) {
                // a value may itself start with dashes (user ids are base64url): only an option ends it
                value = args[++i];
            }
            if (name == null || !OPTIONS.get(command).contains(name)) {
                throw new BadUsage("unknown option '" + a + "' for " + command);
            }
            if (value == null || value.isBlank()) {
                throw new BadUsage("incomplete option '" + a + "': --" + name + " needs a value");
            }
            if (options.put(name, value) != null) {
                throw new BadUsage("--" + name + " is given twice");
            }
        }
        LocalDate since = null;
        if (options.containsKey("since")) {
            try {
                since = LocalDate.parse(options.get("since"));
            } catch (DateTimeParseException e) {
                throw new BadUsage("--since must be a date such as 2026-01-31, not '" + options.get("since") + "'");
            }
        }
        Instant from = instant("from", options.get("from"), now.minus(Duration.ofDays(30)));
        Instant to = instant("to", options.get("to"), now);
        if (!from.isBefore(to)) {
            throw new BadUsage("--from (" + from + ") must be before --to (" + to + ")");
        }
        return new Request(command, since, options.get("user"), from, to, configuration.toArray(String[]::new));
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

    private static int verify(AuditLog audit, LocalDate since, PrintStream out) {
        AuditLog.Verification v = since == null ? audit.verify() : audit.verify(since);
        if (v.intact()) {
            out.println("audit log intact: " + v.entries() + " entries in " + v.chains() + " chains");
            return 0;
        }
        AuditLog.Break b = v.firstBreak();
        out.println("audit log BROKEN at chain " + b.chain() + ", entry " + b.seq() + " (" + b.at() + "): " + b.reason());
        out.println("(" + v.entries() + " entries checked before it)");
        return 3;
    }

    private static Instant instant(String option, String value, Instant otherwise) throws BadUsage {
        if (value == null) {
            return otherwise;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadUsage("--" + option + " must be a date (2026-11-01) or an instant "
                    + "(2026-11-01T08:00:00Z), not '" + value + "'");
        }
    }

    /** Whether {@code arg} is an option of either subcommand or a setting, not an option's value. */
    private static boolean isOption(String arg) {
        if (arg.startsWith("--chatapp.")) {
            return true;
        }
        if (!arg.startsWith("--")) {
            return false;
        }
        String name = arg.substring(2).split("=", 2)[0];
        return OPTIONS.values().stream().anyMatch(names -> names.contains(name));
    }

    /** The configured store: DynamoDB with {@code chatapp.store=dynamodb}, else the SQLite file of the data directory. */
    static Shape open(ChatAppProperties properties, Clock clock) {
        if (properties.store() == ChatAppProperties.Store.DYNAMODB) {
            return new AwsShape(new DynamoSettings(null, properties.dynamodbEndpoint(), properties.tablePrefix(), null),
                    null, null);
        }
        if (!java.nio.file.Files.isRegularFile(properties.dataDir().resolve("chatapp.db"))) {
            // never make a new, empty database and call its audit log intact: the directory is mistyped
            throw new OperatorError("no ChatApp database in " + properties.dataDir()
                    + " (set CHATAPP_DATA_DIR to the server's data directory)");
        }
        try {
            return EmbeddedShape.open(properties.dataDir(), true, clock);
        } catch (DataDirectoryException e) {
            throw new OperatorError(e.getMessage() + " (stop the server first: one process holds the data directory)");
        }
    }
}
