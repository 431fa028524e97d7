package chatapp.server.cli;

import chatapp.aws.AwsShape;
import chatapp.aws.DynamoSettings;
import chatapp.aws.SigningKeySecret;
import chatapp.server.ChatAppProperties;
import chatapp.server.ChatAppServer;
import chatapp.server.OperatorError;
import chatapp.server.backup.Backup;
import chatapp.server.backup.Restore;
import chatapp.server.security.SigningKeys;
import chatapp.server.shape.ShapeOpening;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AotApplicationContextInitializer;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * ChatApp's entry point and command line: {@code serve} (default), {@code create-tables},
 * {@code seed}, {@code import-prototype}, {@code backup}, {@code restore} (docs/operations.md), {@code audit verify|export} (docs/audit.md). Operator mistakes (port taken, data directory locked or not writable, missing
 * configuration, settings no shape can serve) end with one line on stderr and exit status 1
 * ({@link OperatorError}), not a stack trace.
 */
public final class ChatApp {

    static final String USAGE = """
            usage: chatapp <command> [--chatapp.<property>=<value> ...]
              serve          start the server (default)
              create-tables  create every DynamoDB table and index (idempotent)
              seed           create the demo accounts (idempotent; prints new passwords once)
            %s
              backup DEST [--keep=N]
                             copy the database, media and signing key into DEST/backup-<time>
                             while the server runs (keeps the newest N, default 7)
              restore SRC    put a backup (SRC: a backup directory or a DEST) into an empty
                             data directory, after checking its SHA-256 manifest
              audit verify   check the audit log's hash chains; prints the first broken link (docs/audit.md)
              audit export   the audit log as JSON Lines: [--user USER_ID] [--from DATE] [--to DATE]
              train          exercise a throwaway server (temp data directory, loopback), the
                             training run of the JVM's AOT cache (./chatapp does it after a build)
              help           this text
            The ./chatapp script also runs `./chatapp test` (every test, ./mvnw verify),
            `./chatapp bench ...` (the load tool, docs/load-tool.md) and
            `./chatapp apigateway-local` (API Gateway's part of the AWS shape on one machine).
            Configuration comes from CHATAPP_* environment variables; see README.md.""".formatted(
            PrototypeImportCommand.OPTIONS.stripTrailing());

    private static final String AOT_ENABLED = AotDetector.AOT_ENABLED;
    private static final String AOT_INITIALIZER = ChatAppServer.class.getName() + "__ApplicationContextInitializer";

    private ChatApp() {
    }

    public static void main(String[] args) {
        stopWithLauncher();
        useSpringAot();
        PrintStream out = System.out;
        if (args.length > 0 && "audit".equals(args[0])) {
            // `audit export` prints JSON Lines for jq: the store's start-up log lines go to stderr
            System.setOut(System.err);
        }
        int status = run(args, out, System.err);
        if (status != 0 || (args.length > 0 && "train".equals(args[0]))) {
            // train: end now, so that the JVM writes its AOT cache (-XX:AOTCacheOutput) at exit
            System.exit(status);
        }
    }

    /**
     * Runs one command. For {@code serve} this returns once the server is up (it keeps running
     * on its own threads); other commands return when done.
     *
     * @return the process exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean help = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"));
        String command = help ? "help" : args.length == 0 || args[0].startsWith("--") ? "serve" : args[0];
        String[] rest = args.length == 0 || args[0].startsWith("--") ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (command) {
                case "serve" -> serve(rest);
                case "create-tables" -> createTables(rest, out);
                case "seed" -> seed(rest, out);
                case "import-prototype" -> PrototypeImportCommand.run(rest, out);
                case "backup" -> backup(rest, out);
                case "restore" -> restore(rest, out);
                case "audit" -> {
                    return AuditCommands.run(rest, out, err);
                }
                case "train" -> Training.run(rest, out);
                case "help", "--help", "-h" -> out.println(USAGE);
                default -> {
                    err.println("chatapp: unknown command '" + command + "'");
                    err.println(USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (RuntimeException e) {
            // a setting's mistake found by a binding outside serve's Spring run (the pre-start bind)
            OperatorError mistake = OperatorError.behind(e).orElseThrow(() -> e);
            err.println("chatapp: " + mistake.getMessage());
            return 1;
        }
    }

    /**
     * Starts the server and returns its context.
     *
     * @throws OperatorError for the mistakes an operator can fix (one-line message)
     */
    public static ConfigurableApplicationContext serve(String... args) {
        ChatAppProperties properties = bind(args);
        if (isBlank(properties.signingKey()) && !isBlank(properties.signingKeySecret())) {
            // The AWS shape: the key lives in Secrets Manager, never in the configuration.
            args = Arrays.copyOf(args, args.length + 1);
            args[args.length - 1] = "--chatapp.signing-key=" + readSigningKey(properties.signingKeySecret());
            properties = bind(args);
        }
        String smtpPasswordSecret = setting("chatapp.email.smtp-password-secret", args);
        if (isBlank(setting("chatapp.email.smtp-password", args)) && !isBlank(smtpPasswordSecret)) {
            // The AWS shape: the SMTP password lives in Secrets Manager too (docs/deploy-aws.md, "Email").
            args = Arrays.copyOf(args, args.length + 1);
            args[args.length - 1] = "--chatapp.email.smtp-password=" + readSecret("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET",
                    smtpPasswordSecret);
        }
        properties.requirePossibleShape();
        requireFreePort(properties.port());
        SigningKeys.of(properties); // a missing or bad key is an operator's one-line mistake, before Spring starts
        SpringApplication app = new SpringApplication(ChatAppServer.class);
        if (AotDetector.useGeneratedArtifacts()) {
            // the bean definitions generated at build time (process-aot), under the application's name
            app.addInitializers(AotApplicationContextInitializer.forInitializerClasses(AOT_INITIALIZER));
        }
        ShapeOpening opening = openStoreEarly(properties, args);
        if (opening != null) {
            app.addInitializers(context -> context.getBeanFactory().registerSingleton("shapeOpening", opening));
        }
        try {
            ConfigurableApplicationContext context = app.run(args);
            if (opening != null) {
                opening.closeUnclaimed();
            }
            return context;
        } catch (RuntimeException e) {
            if (opening != null) {
                opening.closeUnclaimed(); // the lock on the data directory goes with the failed start
            }
            throw OperatorError.behind(e).orElseThrow(() -> e);
        }
    }

    /**
     * The SQLite store opened on a thread of its own while Spring starts (native library, lock,
     * migrations; docs/decisions/0065-parallel-store-open.md), or null when the store is not SQLite
     * or {@code chatapp.sqlite.group-commit} is not plainly true or false (the shape bean then opens
     * it, as it does when Spring's settings differ from these).
     */
    private static ShapeOpening openStoreEarly(ChatAppProperties properties, String[] args) {
        if (properties.store() != ChatAppProperties.Store.SQLITE) {
            return null;
        }
        String groupCommit = setting("chatapp.sqlite.group-commit", args);
        if (groupCommit != null && !groupCommit.equals("true") && !groupCommit.equals("false")) {
            return null;
        }
        boolean pushKeysFromDataDir = isBlank(setting("chatapp.push.vapid-keys", args))
                && isBlank(setting("chatapp.push.vapid-keys-secret", args));
        return ShapeOpening.start(properties.dataDir(), !"false".equals(groupCommit), pushKeysFromDataDir);
    }

    /**
     * The system property by which the executable jar's launcher ({@code chatapp.launcher.Launcher},
     * its {@code PARENT_PID}; docs/decisions, "launcher") names itself to the server it starts.
     * Spelled out here: the launcher is a class of the jar's root, not of this class path.
     */
    static final String LAUNCHER_PID = "chatapp.launcher.pid";

    /**
     * Started by the jar's launcher as its child: when the launcher process is gone without having
     * stopped this one (it was killed with SIGKILL, so its shutdown hook did not run), this JVM ends
     * at once as the launcher did (exit status 137, no graceful stop), so that a supervisor's restart
     * finds the port and the data directory free. Checked every 200 ms (the parent's pid, from
     * /proc: a process whose parent dies gets a new one).
     */
    private static void stopWithLauncher() {
        String launcher = System.getProperty(LAUNCHER_PID);
        if (launcher == null) {
            return;
        }
        long pid = Long.parseLong(launcher);
        Thread.ofPlatform().daemon().name("chatapp-launcher-watch").start(() -> {
            while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == pid) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("chatapp: the launcher process " + pid + " is gone; stopping");
            Runtime.getRuntime().halt(137);
        });
    }

    /**
     * Spring's AOT processing (docs/decisions/0058-spring-aot.md): the process uses the bean
     * definitions generated at build time when the jar holds them, unless
     * {@code -Dspring.aot.enabled=false} says otherwise. Set here, in the process's entry point
     * only: tests that start servers in their own JVM ({@code serve}, {@code @SpringBootTest}) run
     * without it, from the classes compiled before the processing.
     */
    private static void useSpringAot() {
        if (System.getProperty(AOT_ENABLED) == null
                && ChatApp.class.getClassLoader().getResource(AOT_INITIALIZER.replace('.', '/') + ".class") != null) {
            System.setProperty(AOT_ENABLED, "true");
        }
    }

    private static String readSigningKey(String secretId) {
        return readSecret("CHATAPP_SIGNING_KEY_SECRET", secretId);
    }

    private static String readSecret(String setting, String secretId) {
        try {
            return SigningKeySecret.read(secretId.strip());
        } catch (RuntimeException e) {
            throw new OperatorError(setting + ": " + e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Creates the demo accounts on the configured store, through a server started for the
     * purpose on a free loopback port (the same wiring as {@code serve}). With SQLite the server
     * must be stopped first: one process holds the data directory.
     */
    private static void seed(String[] args, PrintStream out) {
        String[] withPort = Arrays.copyOf(args, args.length + 2);
        withPort[args.length] = "--chatapp.port=0";
        withPort[args.length + 1] = "--server.address=127.0.0.1";
        try (ConfigurableApplicationContext context = serve(withPort)) {
            DemoAccounts.seed(context.getBean(chatapp.account.Accounts.class), out);
            context.getBean(chatapp.audit.AuditLog.class)
                    .record(chatapp.audit.Who.operator(), chatapp.audit.AuditAction.ADMIN_COMMAND, "seed", java.util.Map.of());
        }
    }

    /**
     * {@code backup DEST [--keep=N]}: the one-machine data directory, copied while the server
     * runs ({@link Backup}). The AWS shape has DynamoDB's point-in-time recovery and S3
     * versioning instead (docs/operations.md).
     */
    private static void backup(String[] args, PrintStream out) {
        ChatAppProperties properties = bind(args);
        if (properties.store() != ChatAppProperties.Store.SQLITE) {
            throw new OperatorError("backup copies the one-machine shape (CHATAPP_STORE=sqlite); DynamoDB and S3 "
                    + "have point-in-time recovery and versioning (docs/operations.md)");
        }
        String dest = operand(args, "backup DEST");
        int keep = 7;
        for (String arg : args) {
            if (arg.startsWith("--keep=")) {
                try {
                    keep = Integer.parseInt(arg.substring("--keep=".length()));
                } catch (NumberFormatException e) {
                    throw new OperatorError("backup: --keep needs a number, got '" + arg + "'");
                }
            }
        }
        new Backup(properties.dataDir(), Path.of(dest), Clock.systemUTC()).run(keep, out);
    }

    /** {@code restore SRC}: into the configured data directory, which must be empty ({@link Restore}). */
    private static void restore(String[] args, PrintStream out) {
        ChatAppProperties properties = bind(args);
        Restore.run(Path.of(operand(args, "restore SRC")), properties.dataDir(), out);
    }

    private static String operand(String[] args, String usage) {
        List<String> operands = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        if (operands.size() != 1) {
            throw new OperatorError("usage: chatapp " + usage + " [--chatapp.data-dir=DIR]");
        }
        return operands.get(0);
    }

    private static void createTables(String[] args, PrintStream out) {
        ChatAppProperties properties = bind(args);
        try (AwsShape aws = new AwsShape(dynamoSettings(properties), null, null)) {
            var created = aws.tables().create();
            out.println(created.isEmpty() ? "all tables exist" : "created " + String.join(", ", created));
            AuditCommands.recordCommand(aws, bind("chatapp.audit", chatapp.server.audit.AuditProperties.class, args),
                    "create-tables", java.util.Map.of("created", String.join(" ", created)));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new OperatorError("create-tables failed: " + e.getMessage());
        }
    }

    /** Where the tables are: {@code CHATAPP_DYNAMODB_ENDPOINT}, {@code CHATAPP_TABLE_PREFIX}. */
    private static DynamoSettings dynamoSettings(ChatAppProperties properties) {
        return new DynamoSettings(null, properties.dynamodbEndpoint(), properties.tablePrefix(), null);
    }

    /**
     * The {@code chatapp.*} configuration as the server will see it, bound before Spring starts.
     *
     * @throws OperatorError if a value does not bind (a port that is not a number, an unknown store)
     */
    public static ChatAppProperties bind(String... args) {
        return bind("chatapp", ChatAppProperties.class, args);
    }

    /**
     * The properties under {@code prefix} as the server will see them, bound before Spring starts.
     *
     * @throws OperatorError if a value does not bind
     */
    static <T> T bind(String prefix, Class<T> type, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        try {
            return Binder.get(environment).bindOrCreate(prefix, type);
        } catch (RuntimeException e) {
            throw OperatorError.behind(e).orElseGet(() -> {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return new OperatorError("invalid configuration: " + e.getMessage() + " (" + root.getMessage() + ")");
            });
        }
    }

    /** One setting as the server will see it (a property, or its {@code CHATAPP_*} variable), null if unset. */
    private static String setting(String name, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        return Binder.get(environment).bind(name, String.class).orElse(null);
    }

    private static void requireFreePort(int port) {
        if (port < 0 || port > 65535) {
            throw new OperatorError("CHATAPP_PORT (chatapp.port) must be between 0 and 65535: " + port);
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw OperatorError.portInUse(port);
        }
    }
}
