package chatapp.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load tool's command line ({@link #USAGE}). Durations are written {@code 500ms}, {@code 30s},
 * {@code 2m}; rates are messages a second for all pairs together.
 */
record Options(
        Mode mode,
        URI target,
        int pairs,
        double rate,
        Duration duration,
        Duration warmup,
        Duration drain,
        int size,
        Path out,
        Path state,
        Path dataDir,
        Path serverJar,
        List<String> serverOpts,
        double step,
        double maxRate,
        Duration p99Bound,
        int connections,
        int kills,
        long seed,
        double connectionRate,
        boolean profile,
        Duration toolWarmup) {

    /** Frames a second one connection sends when nothing asks for more (the server allows 20 by default). */
    static final double DEFAULT_CONNECTION_RATE = 15;
    /** The first seconds of a run, reported apart from the steady state (JIT warm-up). */
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
    /**
     * How long the tool runs its own send and receive code against a local stand-in before it
     * starts or reaches the server: long enough for its JIT to compile that code, so that its own
     * cold start is not measured as the server's (docs/load-tool.md).
     */
    static final Duration DEFAULT_TOOL_WARMUP = Duration.ofSeconds(5);

    /**
     * The flood limits a server the tool starts gets, so that it does not close the tool's
     * connections for sending at {@link #connectionRate()} with the tool's burst of 40 (protocol.md:
     * 20 frames/s, burst 60 by default): {@code chatapp.websocket.frames-per-second} and
     * {@code frame-burst} with room to spare. None at the default pacing, which the shipped
     * limits carry: the server is then measured as shipped.
     */
    List<String> serverLimits() {
        if (connectionRate <= DEFAULT_CONNECTION_RATE) {
            return List.of();
        }
        long perSecond = Math.max(20, (long) Math.ceil(connectionRate * 1.5) + 5);
        long burst = Math.max(60, (long) Math.ceil(connectionRate * 3) + 40);
        return List.of("--chatapp.websocket.frames-per-second=" + perSecond, "--chatapp.websocket.frame-burst=" + burst);
    }

    /** What a run does (docs/load-tool.md). */
    enum Mode {
        STEADY, RAMP, IDLE, CRASH;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String USAGE = """
            usage: chatapp bench [steady|ramp|idle|crash] [options]
              steady  send at a fixed rate, measure ack and end-to-end latency, verify (default)
              ramp    raise the rate step by step until p99 passes --p99; report the highest sustained rate
              idle    hold --connections idle WebSockets; report server memory per connection
              crash   kill -9 the server --kills times under load, restart it, retry, verify
            options:
              --target URL         a running ChatApp (default: start one from the server jar, fresh data dir)
              --pairs N            parent-therapist pairs, created once per target and reused (default 100)
              --rate R             messages/s offered in all; ramp: the first step (default 500)
              --duration D         steady/crash: sending time; ramp: each step; idle: hold time (default 30s)
              --warmup D           reported apart from the steady-state figures: JIT and caches still warming
                                   (default 10s, at most half the duration)
              --tool-warmup D      before anything reaches the server, run the tool's own send and receive code
                                   against a local stand-in for D, so its JIT is warm (default 5s; 0: off)
              --drain D            wait for outstanding acks and messages after sending (default 10s; crash 60s)
              --size N             characters per message (default 100)
              --out DIR            result directory (default bench-results/<mode>-<time>)
              --state FILE         saved pairs and their credentials (default .chatapp-bench/state.json)
              --data-dir DIR       data directory of the started server (default: a fresh one)
              --server-jar FILE    the server jar to start (default server/target/chatapp-exec.jar; alias --jar)
              --server-opt OPT     JVM option for the started server, repeatable (e.g. -XX:StartFlightRecording=...)
              --step R             ramp: rate added each step (default 250)
              --max-rate R         ramp: stop here (default: what --connection-rate lets the connections carry)
              --p99 D              ramp: latency bound for p99 of ack and end-to-end (default 50ms)
              --connections N      idle: connections to open (default 1000)
              --kills N            crash: kill -9 this many times (default 5)
              --seed N             random seed of the kill moments (default: time)
              --connection-rate R  frames/s one connection may send, burst 40 (default: a server the tool starts
                                   gets what --rate (ramp: --max-rate) needs, and its flood limit raised to match;
                                   with --target 15, as the server allows 20 unless CHATAPP_WEBSOCKET_FRAMES_PER_SECOND
                                   and CHATAPP_WEBSOCKET_FRAME_BURST are raised there)
              --profile            record the started server with JFR while sending (<out>/server.jfr)""";

    /** The options that take a value (--profile takes none). */
    /** The most frames a second the tool paces on one connection (its pacing and the server limits it sets). */
    static final int MAX_CONNECTION_RATE = 10_000;

    private static final java.util.Set<String> WITH_VALUE = java.util.Set.of("--mode", "--target", "--pairs", "--rate",
            "--duration", "--warmup", "--drain", "--size", "--out", "--state", "--data-dir", "--server-jar", "--jar",
            "--server-opt", "--tool-warmup", "--step", "--max-rate", "--p99", "--connections", "--kills", "--seed", "--connection-rate");

    /**
     * Whether the command line asks for the usage: {@code help} first or after the mode
     * ({@code steady help}), or {@code --help} / {@code -h} anywhere.
     */
    static boolean asksForHelp(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                return true;
            }
        }
        return args.length > 0 && (args[0].equals("help") || (args.length > 1 && args[1].equals("help") && isMode(args[0])));
    }

    private static boolean isMode(String arg) {
        for (Mode m : Mode.values()) {
            if (m.wire().equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /** Options that only one mode uses: given to another, they would be ignored silently, so they are refused. */
    private static final java.util.Map<String, Mode> ONE_MODE_ONLY = java.util.Map.of("--step", Mode.RAMP, "--max-rate",
            Mode.RAMP, "--p99", Mode.RAMP, "--connections", Mode.IDLE, "--kills", Mode.CRASH, "--seed", Mode.CRASH);

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException with a one-line message for a bad option
     */
    static Options parse(String... args) {
        Mode mode = Mode.STEADY;
        URI target = null;
        int pairs = 100;
        double rate = 500;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = null;
        Duration drain = null;
        Duration toolWarmup = DEFAULT_TOOL_WARMUP;
        int size = 100;
        Path out = null;
        Path state = Path.of(".chatapp-bench", "state.json");
        Path dataDir = null;
        Path serverJar = null;
        List<String> serverOpts = new ArrayList<>();
        double step = 250;
        double maxRate = 0;
        Duration p99 = Duration.ofMillis(50);
        int connections = 1000;
        int kills = 5;
        long seed = System.nanoTime();
        double connectionRate = 0; // 0: chosen below
        boolean profile = false;
        java.util.Set<String> given = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i == 0 && !arg.startsWith("--")) {
                try {
                    mode = Mode.valueOf(arg.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown mode '" + arg + "' (steady, ramp, idle, crash)");
                }
                continue;
            }
            if (arg.equals("--profile")) {
                profile = true;
                continue;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
            }
            if (!WITH_VALUE.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + " (chatapp bench help lists them)");
            }
            given.add(name);
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--mode" -> mode = parseMode(value);
                case "--target" -> target = target(value);
                case "--pairs" -> pairs = positiveInt(name, value);
                case "--rate" -> rate = positive(name, value);
                case "--duration" -> duration = duration(name, value);
                case "--warmup" -> warmup = duration(name, value);
                case "--drain" -> drain = duration(name, value);
                case "--tool-warmup" -> toolWarmup = duration(name, value);
                case "--size" -> size = positiveInt(name, value);
                case "--out" -> out = Path.of(value);
                case "--state" -> state = Path.of(value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--server-jar", "--jar" -> serverJar = Path.of(value);
                case "--server-opt" -> serverOpts.add(value);
                case "--step" -> step = positive(name, value);
                case "--max-rate" -> maxRate = positive(name, value);
                case "--p99" -> p99 = duration(name, value);
                case "--connections" -> connections = positiveInt(name, value);
                case "--kills" -> kills = positiveInt(name, value);
                case "--seed" -> seed = whole(name, value);
                case "--connection-rate" -> connectionRate = positive(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (serverJar == null) {
            serverJar = Path.of(System.getProperty("chatapp.bench.serverJar", "server/target/chatapp-exec.jar"));
            // the JVM options that go with the script's jar (./chatapp bench: the AOT cache of ./chatapp serve)
            String jarOptions = System.getProperty("chatapp.bench.serverJarOptions", "").strip();
            if (!jarOptions.isEmpty()) {
                serverOpts.addAll(0, List.of(jarOptions.split("\\s+")));
            }
        }
        for (String name : given) {
            Mode only = ONE_MODE_ONLY.get(name);
            if (only != null && only != mode) {
                throw new IllegalArgumentException(name + " is for " + only.wire() + " mode only, not " + mode.wire());
            }
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be longer than 0");
        }
        if (p99.isZero()) {
            throw new IllegalArgumentException("--p99 must be longer than 0");
        }
        if (size > 10_000) {
            throw new IllegalArgumentException("--size is at most 10000 characters (API.md)");
        }
        if (mode == Mode.CRASH && target != null) {
            throw new IllegalArgumentException("crash mode kills the server, so it starts its own: leave out --target");
        }
        if (profile && target != null) {
            throw new IllegalArgumentException("--profile records the server the tool starts; leave out --target");
        }
        if (target != null && dataDir != null) {
            throw new IllegalArgumentException("--data-dir is for the server the tool starts; leave out --target");
        }
        if (connectionRate == 0) {
            connectionRate = DEFAULT_CONNECTION_RATE;
            if (target == null) {
                // the tool starts the server, and raises its flood limit to match (serverLimits)
                double needed = mode == Mode.RAMP ? maxRate : mode == Mode.IDLE ? 0 : rate;
                connectionRate = Math.max(DEFAULT_CONNECTION_RATE, Math.ceil(needed / (2.0 * pairs)));
            }
        }
        if (connectionRate > MAX_CONNECTION_RATE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%.0f frames/s on each connection is more than the tool paces (%d): add pairs (--pairs)",
                    connectionRate, MAX_CONNECTION_RATE));
        }
        double pairCapacity = 2 * pairs * connectionRate;
        if (mode != Mode.IDLE && mode != Mode.RAMP && rate > pairCapacity) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--rate %.0f needs at least %d pairs: each connection sends at most %.0f frames/s (--connection-rate)%s",
                    rate, (long) Math.ceil(rate / (2 * connectionRate)), connectionRate,
                    target == null ? "" : "; or raise CHATAPP_WEBSOCKET_FRAMES_PER_SECOND and CHATAPP_WEBSOCKET_FRAME_BURST"
                            + " on the server and pass --connection-rate (docs/load-tool.md)"));
        }
        if (maxRate == 0 || maxRate > pairCapacity) {
            maxRate = pairCapacity;
        }
        if (warmup == null) {
            // long enough for the JIT: a cold server's first seconds are reported apart (docs/load-tool.md)
            warmup = Duration.ofMillis(Math.min(duration.toMillis() / 2, DEFAULT_WARMUP.toMillis()));
        }
        if (warmup.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--warmup must be shorter than --duration");
        }
        if (drain == null) {
            drain = Duration.ofSeconds(mode == Mode.CRASH ? 60 : 10);
        }
        if (out == null) {
            out = Path.of("bench-results",
                    mode.wire() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return new Options(mode, target, pairs, rate, duration, warmup, drain, size, out, state, dataDir, serverJar,
                List.copyOf(serverOpts), step, maxRate, p99, connections, kills, seed, connectionRate, profile, toolWarmup);
    }

    /** A running ChatApp's base URL: http or https with a host, e.g. http://10.0.0.5:8080. */
    private static URI target(String value) {
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("--target " + value
                    + " is not the http:// or https:// URL of a running ChatApp (e.g. http://10.0.0.5:8080)");
        }
        return uri;
    }

    private static Mode parseMode(String value) {
        try {
            return Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + value + "' (steady, ramp, idle, crash)");
        }
    }

    private static int positiveInt(String name, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive whole number, not '" + value + "'");
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static double positive(String name, String value) {
        try {
            double d = Double.parseDouble(value.replace("_", "").replace(",", ""));
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive number, not '" + value + "'");
    }

    /**
     * {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds.
     *
     * @throws IllegalArgumentException naming the option for anything else, a negative duration included
     */
    static Duration duration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("-")) {
            throw new IllegalArgumentException(name + " must not be negative, not '" + value + "'");
        }
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long unit = switch (v.charAt(v.length() - 1)) {
                case 's' -> 1000;
                case 'm' -> 60_000;
                case 'h' -> 3_600_000;
                default -> 0;
            };
            if (unit == 0) {
                return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * unit));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration like 500ms, 30s or 2m, not '" + value + "'");
        }
    }
}
