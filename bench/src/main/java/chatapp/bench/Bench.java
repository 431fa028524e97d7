package chatapp.bench;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.Ids;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ChatApp's benchmarks, one command each (docs/benchmarks.md records their figures):
 * <pre>
 * java -jar bench/target/chatapp-bench.jar history-latency [--store sqlite|dynamodb] ...
 * java -jar bench/target/chatapp-bench.jar send-throughput --server-jar server/target/chatapp-exec.jar ...
 * java -jar bench/target/chatapp-bench.jar store-send-throughput [--group-commit false] ...
 * java -jar bench/target/chatapp-bench.jar realtime --server-jar server/target/chatapp-exec.jar ...
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            usage(System.out);
            System.exit(0);
        }
        Options options;
        try {
            options = Options.parse(rest);
        } catch (IllegalArgumentException e) {
            // a mistake on the command line is one line and the usage, not a stack trace
            System.err.println("chatapp bench " + args[0] + ": " + e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        switch (args[0]) {
            case "history-latency" -> HistoryLatency.run(options);
            case "send-throughput" -> SendThroughput.run(options);
            case "store-send-throughput" -> StoreSendThroughput.run(options);
            case "realtime" -> RealtimeGateway.run(options);
            default -> {
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void usage() {
        usage(System.err);
    }

    private static void usage(java.io.PrintStream out) {
        out.println("""
                usage: chatapp-bench <command> [--option value ...]
                  history-latency  history-page latency, small vs large conversation among many others
                      --store sqlite|dynamodb (sqlite)  --endpoint URL (dynamodb: e.g. a moto server)
                      --sizes 1000,100000  --others 2000  --other-size 50  --samples 20000  --warmup 5000  --limit 50
                  send-throughput  durable REST sends from concurrent senders against a server it starts
                      --server-jar server/target/chatapp-exec.jar (alias --jar)  --senders 16  --seconds 20  --warmup 5
                      --group-commit true|false (true)  --server-jvm-args "-Xmx1g ..." (for the server's JVM)
                  store-send-throughput  the same sends straight into ChatService on SQLite, no HTTP
                      --senders 16  --seconds 10  --warmup 3  --group-commit true|false (true)
                  realtime  memory per idle WebSocket and sender-to-recipient latency, against a server it starts
                      --server-jar server/target/chatapp-exec.jar (alias --jar)  --idle 5000  --pairs 20  --messages 150  --rate 5""");
    }

    /** A new benchmark account of {@code type}, stored in {@code users} (no usable password). */
    static User user(UserStore users, UserType type) {
        String id = Ids.random();
        User u = new User(id, "bench-" + id.substring(0, 16), id.toLowerCase() + "@bench.invalid", "-", type,
                type == UserType.THERAPIST ? "speech" : null, type == UserType.PARENT ? 1 : null, Instant.now());
        users.create(u);
        return u;
    }

    /** {@code --name value} pairs. */
    record Options(Map<String, String> values) {
        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i].startsWith("--") ? args[i] + " needs a value"
                            : "expected --name value, got " + args[i]);
                }
                String name = args[i].substring(2);
                // --server-jar as in `chatapp bench`; --jar, the older name, still works
                values.put(name.equals("jar") ? "server-jar" : name, args[++i]);
            }
            return new Options(values);
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        /**
         * The server jar to start: {@code --server-jar}, else the one {@code ./chatapp bench}
         * names (the extracted jar beside its JDK AOT cache, as {@code ./chatapp serve} runs
         * it), else {@code server/target/chatapp-exec.jar}.
         */
        Path serverJar() {
            return Path.of(get("server-jar", System.getProperty("chatapp.bench.serverJar", "server/target/chatapp-exec.jar")));
        }

        /**
         * The server's JVM options: {@code --server-jvm-args}, else, when the jar is the one
         * {@code ./chatapp bench} names, its options (the AOT cache among them), else none.
         */
        String serverJvmArgs() {
            return get("server-jvm-args", values.containsKey("server-jar") ? ""
                    : System.getProperty("chatapp.bench.serverJarOptions", ""));
        }

        int integer(String name, int fallback) {
            return Integer.parseInt(get(name, Integer.toString(fallback)));
        }
    }
}
