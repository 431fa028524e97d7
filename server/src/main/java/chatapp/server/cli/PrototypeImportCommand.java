package chatapp.server.cli;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.account.UserStore;
import chatapp.aws.DynamoSettings;
import chatapp.aws.PrototypeTables;
import chatapp.chat.ChatStore;
import chatapp.importing.ImportReport;
import chatapp.importing.MediaDownloads;
import chatapp.importing.PrototypeExport;
import chatapp.importing.PrototypeImport;
import chatapp.importing.PrototypeSource;
import chatapp.media.MediaFiles;
import chatapp.media.MediaLimits;
import chatapp.media.MediaService;
import chatapp.media.MediaStore;
import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;

/**
 * {@code ./chatapp import-prototype}: brings the Django prototype's accounts and chats into the
 * configured store (docs/operations.md), through a server started for the purpose on a
 * free loopback port, like {@code seed} (with SQLite the server must be stopped first). The
 * rules are core's ({@link PrototypeImport}); this class reads the options, picks the source and
 * prints and writes the report.
 */
final class PrototypeImportCommand {

    static final String OPTIONS = """
              import-prototype  bring the Django prototype's users and chats over (docs/operations.md):
                  --users-export=PATH --chats-export=PATH   a DynamoDB export (DynamoDB JSON, .json or .json.gz,
                                                            a file or a folder of them), or else the tables:
                  --source-users-table=NAME (users) --source-chats-table=NAME (chats)
                  --source-endpoint=URL --source-region=REGION --source-profile=AWS_PROFILE
                  --report=FILE (import-report.json) --checkpoint=FILE (import-checkpoint.json)
                  --media-timeout=SECONDS (120)
                  --allow-private-media-hosts   fetch media also from loopback, private and other
                                                special-purpose addresses (refused by default)""";

    private static final Set<String> NAMES = Set.of("users-export", "chats-export", "source-users-table",
            "source-chats-table", "source-endpoint", "source-region", "source-profile", "report", "checkpoint",
            "media-timeout");

    private PrototypeImportCommand() {
    }

    /** Runs the import; the server's own {@code --chatapp.*} settings pass through to it. */
    static void run(String[] args, PrintStream out) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> serverArgs = new ArrayList<>();
        boolean allowPrivateMediaHosts = false;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (arg.equals("--allow-private-media-hosts")) {
                allowPrivateMediaHosts = true;
                continue;
            }
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (name != null && NAMES.contains(name)) {
                options.put(name, arg.substring(eq + 1));
            } else if (arg.startsWith("--chatapp.") || arg.startsWith("--server.") || arg.startsWith("--logging.")) {
                serverArgs.add(arg);
            } else {
                throw new OperatorError("import-prototype: unknown option '" + arg + "'\n" + OPTIONS);
            }
        }
        ChatAppProperties properties = ChatApp.bind(serverArgs.toArray(String[]::new));
        Duration timeout = Duration.ofSeconds(number(options.getOrDefault("media-timeout", "120"), "media-timeout"));
        Path report = Path.of(options.getOrDefault("report", "import-report.json"));
        Path checkpoint = Path.of(options.getOrDefault("checkpoint", "import-checkpoint.json"));
        try (SourceHandle source = source(options, properties)) {
            String[] withPort = Arrays.copyOf(serverArgs.toArray(String[]::new), serverArgs.size() + 2);
            withPort[serverArgs.size()] = "--chatapp.port=0";
            withPort[serverArgs.size() + 1] = "--server.address=127.0.0.1";
            out.println("importing from " + source.source().describe());
            try (ConfigurableApplicationContext context = ChatApp.serve(withPort)) {
                ImportReport result = run(context, properties, source.source(), checkpoint, timeout,
                        allowPrivateMediaHosts, out);
                // an administrative action (docs/audit.md); the report's counts, never its content
                context.getBean(AuditLog.class).record(Who.operator(), AuditAction.ADMIN_COMMAND, "import-prototype",
                        Map.of());
                Files.writeString(report, result.toJson());
                result.summary().forEach(out::println);
                out.println("report written to " + report.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new OperatorError("import-prototype: cannot write the report " + report + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new OperatorError("import-prototype: " + e.getMessage() + " (run it again to continue)");
        } catch (IllegalStateException e) {
            throw new OperatorError("import-prototype: " + e.getMessage());
        } catch (chatapp.core.ChatAppException e) {
            throw new OperatorError("import-prototype: the store refused a write: " + e.detail()
                    + " (run it again to continue)");
        } catch (SdkException e) {
            throw new OperatorError("import-prototype: a DynamoDB request failed (the prototype's tables or ChatApp's): "
                    + e.getMessage() + " (run it again to continue)");
        }
    }

    private static ImportReport run(ConfigurableApplicationContext context, ChatAppProperties properties,
            PrototypeSource source, Path checkpoint, Duration timeout, boolean allowPrivateMediaHosts, PrintStream out) {
        MediaLimits limits = context.getBean(MediaLimits.class);
        Clock clock = context.getBean(Clock.class);
        Path spool = properties.dataDir().toAbsolutePath().normalize().resolve("tmp").resolve("import");
        MediaStore mediaStore = context.getBean(MediaStore.class);
        // no per-account upload limits: an import copies years of one account's photos at once
        MediaService media = new MediaService(mediaStore, context.getBean(MediaFiles.class), limits, spool,
                Duration.ofMinutes(5), clock);
        try (MediaDownloads downloads = new MediaDownloads(Duration.ofSeconds(10), timeout, limits.largest(), spool,
                allowPrivateMediaHosts)) {
            return new PrototypeImport(context.getBean(UserStore.class), context.getBean(ChatStore.class), mediaStore,
                    media, downloads, clock).run(source, checkpoint, out::println);
        }
    }

    /** The source and what must be closed after it. */
    private record SourceHandle(PrototypeSource source, AutoCloseable closeable) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // the import is over
            }
        }
    }

    private static SourceHandle source(Map<String, String> options, ChatAppProperties properties) {
        String users = options.get("users-export");
        String chats = options.get("chats-export");
        if (users != null || chats != null) {
            if (users == null || chats == null) {
                throw new OperatorError("import-prototype: an export needs both --users-export and --chats-export");
            }
            try {
                return new SourceHandle(new PrototypeExport(Path.of(users), Path.of(chats)), null);
            } catch (IllegalArgumentException e) {
                throw new OperatorError("import-prototype: " + e.getMessage());
            }
        }
        String usersTable = options.getOrDefault("source-users-table", "users");
        String chatsTable = options.getOrDefault("source-chats-table", "chats");
        URI endpoint = options.containsKey("source-endpoint") ? URI.create(options.get("source-endpoint")) : null;
        Region region = options.containsKey("source-region") ? Region.of(options.get("source-region")) : null;
        boolean sameService = java.util.Objects.equals(endpoint, properties.dynamodbEndpoint()) && region == null
                && !options.containsKey("source-profile");
        if (properties.store() == ChatAppProperties.Store.DYNAMODB && sameService
                && (usersTable.equals(properties.tablePrefix() + "users") || chatsTable.equals(properties.tablePrefix() + "chats"))) {
            throw new OperatorError("import-prototype: the source tables are ChatApp's own (" + usersTable + ", "
                    + chatsTable + "); name the prototype's with --source-users-table/--source-chats-table, or its "
                    + "account or region with --source-profile, --source-region or --source-endpoint");
        }
        var credentials = options.containsKey("source-profile")
                ? ProfileCredentialsProvider.create(options.get("source-profile")) : null;
        PrototypeTables tables = new PrototypeTables(new DynamoSettings(region, endpoint, "", credentials),
                usersTable, chatsTable);
        return new SourceHandle(tables, tables);
    }

    private static long number(String value, String name) {
        try {
            long n = Long.parseLong(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new OperatorError("import-prototype: --" + name + " must be a positive whole number of seconds");
        }
    }
}
