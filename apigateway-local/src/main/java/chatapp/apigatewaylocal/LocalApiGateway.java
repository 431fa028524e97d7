package chatapp.apigatewaylocal;

import chatapp.aws.DynamoSettings;
import chatapp.chat.MessageLimit;
import chatapp.lambda.ConnectHandler;
import chatapp.lambda.DefaultHandler;
import chatapp.lambda.DisconnectHandler;
import chatapp.lambda.HelloHandler;
import chatapp.lambda.Wiring;
import chatapp.realtime.FrameHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./chatapp apigateway-local}: the {@code lambda} module's handlers behind
 * {@link ApiGatewayLocal}, wired as deploy/template.yaml wires them on AWS, on the tables that
 * the {@code CHATAPP_*} store settings name. The handlers reach the Management API and Lambda's
 * Invoke at the harness itself (docs/deploy-aws.md, "The AWS shape on one machine").
 */
public final class LocalApiGateway {

    /** The hello function's name, as the $connect handler invokes it. */
    static final String HELLO = "hello";

    static final String USAGE = """
            usage: ./chatapp apigateway-local [--chatapp.<setting>=<value> ...]
            Plays API Gateway's WebSocket API and Lambda's asynchronous invoke on 127.0.0.1 and
            runs the Lambda handlers in-process: the AWS shape's real-time side on one machine.
            Settings (environment variables; a --chatapp.* argument wins, as for the server):
              CHATAPP_PORT               port to listen on (default 8080)
              CHATAPP_STORE              must be dynamodb (the handlers use DynamoDB)
              CHATAPP_DYNAMODB_ENDPOINT  endpoint override, e.g. moto
              CHATAPP_TABLE_PREFIX       prefix of every table name (default none)
              CHATAPP_ALLOWED_ORIGINS    web origins that may open a WebSocket, comma-separated
                                 (default: none; the web client's, e.g. http://127.0.0.1:9000)
              CHATAPP_WEBSOCKET_TYPING_INTERVAL  at most one typing event per conversation and
                                 connection per interval (default 2s)
              CHATAPP_LIMITS_MESSAGES_PER_MINUTE, CHATAPP_LIMITS_MESSAGE_BURST
                                 messages per sender account (default 60 a minute, bursts of 20)
            AWS_REGION and the AWS credentials come from the SDK's default chains.""";

    private LocalApiGateway() {
    }

    /**
     * Starts the harness with the handlers.
     *
     * @param host the interface to listen on ({@code 127.0.0.1} or {@code 0.0.0.0})
     * @param port 0 for a free one
     * @param allowedOrigins as {@code CHATAPP_ALLOWED_ORIGINS}
     * @throws IllegalStateException if the harness cannot listen on the port
     */
    public static ApiGatewayLocal start(String host, int port, DynamoSettings dynamo, List<String> allowedOrigins) {
        return start(host, port, dynamo, allowedOrigins, FrameHandler.TYPING_INTERVAL, MessageLimit.Rate.DEFAULT);
    }

    /**
     * As {@link #start(String, int, DynamoSettings, List)}, with the handlers' message limit
     * ({@code CHATAPP_LIMITS_MESSAGES_PER_MINUTE}, {@code CHATAPP_LIMITS_MESSAGE_BURST}).
     */
    public static ApiGatewayLocal start(String host, int port, DynamoSettings dynamo, List<String> allowedOrigins,
            MessageLimit.Rate messages) {
        return start(host, port, dynamo, allowedOrigins, FrameHandler.TYPING_INTERVAL, messages);
    }

    /**
     * Starts the harness with the handlers as the function's environment would configure them:
     * typing throttled to one event per {@code typingInterval} per conversation and connection
     * ({@code CHATAPP_WEBSOCKET_TYPING_INTERVAL}) and the message limit {@code messages}.
     *
     * @throws IllegalStateException if the harness cannot listen on the port
     */
    public static ApiGatewayLocal start(String host, int port, DynamoSettings dynamo, List<String> allowedOrigins,
            Duration typingInterval, MessageLimit.Rate messages) {
        return start(host, port, dynamo, allowedOrigins, typingInterval, messages, Wiring.PushSettings.NONE);
    }

    /**
     * As above, with Web Push as the function's environment configures it
     * ({@code CHATAPP_PUSH_VAPID_KEYS}, docs/notifications.md).
     */
    public static ApiGatewayLocal start(String host, int port, DynamoSettings dynamo, List<String> allowedOrigins,
            Duration typingInterval, MessageLimit.Rate messages, Wiring.PushSettings push) {
        return ApiGatewayLocal.start(host, port, endpoint -> {
            Wiring wiring = new Wiring(new Wiring.Settings(dynamo, endpoint, endpoint, HELLO, allowedOrigins,
                    typingInterval, messages), push);
            return new ApiGatewayLocal.Functions(new ConnectHandler(wiring), new DisconnectHandler(wiring),
                    new DefaultHandler(wiring), Map.of(HELLO, new HelloHandler(wiring)));
        });
    }

    /**
     * Runs the harness until the process is stopped. An operator's mistake (a setting, a port in
     * use) ends with one line on stderr and exit status 1; an unknown argument with the usage and 2.
     */
    public static void main(String[] args) {
        ApiGatewayLocal harness;
        try {
            harness = run(args, System.getenv(), System.out);
        } catch (UsageError e) {
            System.err.println("apigateway-local: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        } catch (OperatorError e) {
            System.err.println("apigateway-local: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (harness == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(harness::close));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the harness as {@code args} and {@code env} say and prints where it listens; null
     * after printing the usage for {@code help}.
     *
     * @throws UsageError for an argument that is not {@code help} or {@code --chatapp.<setting>=<value>}
     * @throws OperatorError for a setting the harness cannot run with, or a port in use
     */
    static ApiGatewayLocal run(String[] args, Map<String, String> env, PrintStream out) {
        if (args.length == 1 && List.of("help", "--help", "-h").contains(args[0])) {
            out.println(USAGE);
            return null;
        }
        Map<String, String> settings = settings(args, env);
        if (!"dynamodb".equalsIgnoreCase(settings.getOrDefault("CHATAPP_STORE", "sqlite").strip())) {
            throw new OperatorError("the Lambda handlers use DynamoDB: set CHATAPP_STORE=dynamodb "
                    + "(and CHATAPP_DYNAMODB_ENDPOINT for a local one)");
        }
        int port = port(settings.getOrDefault("CHATAPP_PORT", "8080"));
        URI endpoint = endpoint(settings.get("CHATAPP_DYNAMODB_ENDPOINT"));
        List<String> origins = Arrays.stream(settings.getOrDefault("CHATAPP_ALLOWED_ORIGINS", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        DynamoSettings dynamo = new DynamoSettings(null, endpoint, settings.getOrDefault("CHATAPP_TABLE_PREFIX", ""), null);
        Wiring.Settings function;
        try {
            // read as the function reads them, so that the harness runs what AWS would
            function = Wiring.Settings.fromEnvironment(settings);
        } catch (IllegalStateException e) {
            throw new OperatorError(e.getMessage());
        }
        requireFreePort(port);
        ApiGatewayLocal harness;
        try {
            harness = start("127.0.0.1", port, dynamo, origins, function.typingInterval(), function.messages(),
                    Wiring.PushSettings.fromEnvironment(settings));
        } catch (IllegalStateException e) {
            throw new OperatorError(e.getMessage());
        }
        out.println("apigateway-local: WebSockets at " + harness.websocketUrl() + " (CHATAPP_WEBSOCKET_URL), "
                + "Management API at " + harness.endpoint() + " (CHATAPP_APIGATEWAY_ENDPOINT)");
        return harness;
    }

    /** The environment with every {@code --chatapp.table-prefix=x} argument as {@code CHATAPP_TABLE_PREFIX=x}. */
    private static Map<String, String> settings(String[] args, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--chatapp.") || eq < 0) {
                throw new UsageError("unknown argument '" + arg + "'");
            }
            String name = arg.substring("--chatapp.".length(), eq);
            settings.put("CHATAPP_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'), arg.substring(eq + 1));
        }
        return settings;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new OperatorError("CHATAPP_PORT must be a port number (0 to 65535), not '" + value + "'");
    }

    private static URI endpoint(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.strip());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // the message below
        }
        throw new OperatorError("CHATAPP_DYNAMODB_ENDPOINT must be a URL such as http://127.0.0.1:5000, not '" + value + "'");
    }

    private static void requireFreePort(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new OperatorError("port " + port + " is already in use (set CHATAPP_PORT)");
        }
    }

    /** A mistake the operator can fix; its message is the one line the command prints. */
    static final class OperatorError extends RuntimeException {
        OperatorError(String message) {
            super(message, null, false, false);
        }
    }

    /** An argument the command does not know; the usage follows its message. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }
}
