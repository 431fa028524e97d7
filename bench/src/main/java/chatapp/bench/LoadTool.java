package chatapp.bench;

import chatapp.bench.Options.Mode;
import chatapp.bench.Pairs.Pair;
import chatapp.bench.Traffic.Window;
import chatapp.bench.Verification.Verdict;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ChatApp's load and durability tool ({@code ./chatapp bench}, docs/load-tool.md): real users,
 * real WebSockets, open-loop sends, HdrHistogram latencies, and a check through the REST history
 * that every acked message is stored exactly once and was delivered.
 *
 * <p>Exit status: 0 when the run finished and the check found nothing wrong; 3 when messages were
 * lost, duplicated, altered or not delivered; 2 for a bad command line; 1 when the run could not
 * be done (server not reachable, jar missing, ...).
 */
public final class LoadTool {

    static final int CLEAN = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int BROKEN_PROMISE = 3;
    /** Tomcat's default limit on open connections (REST and WebSocket together). */
    private static final int TOMCAT_MAX_CONNECTIONS = 8192;
    /** Sends a second, at least, of the tool's own warm-up against the stand-in. */
    private static final double TOOL_WARMUP_RATE = 5000;
    /** The tool's warm-up ends once its JIT compiler threads use less than this (cores) for two seconds. */
    private static final double TOOL_WARMUP_QUIET_JIT = 0.05;
    /** ... and lasts at most this many times --tool-warmup. */
    private static final long TOOL_WARMUP_LONGEST_FACTOR = 4;

    private final Options options;
    private final PrintStream out;
    private final ObjectNode result = Api.JSON.createObjectNode();
    private ChildServer child;
    /** The sends due in the warm-up (steady, crash): a cold server's first seconds, reported apart. */
    private final Window first = new Window(0);
    private Scratch scratch;
    /** What the tool's own warm-up did, for the summary (null: not run, idle mode). */
    private String toolWarmupLine;
    private Api api;
    private String stateKey;

    private LoadTool(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The runnable jar's entry: the load tool, or one of {@link Bench}'s benchmarks by its command name. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && List.of("history-latency", "send-throughput", "store-send-throughput", "realtime")
                .contains(args[0])) {
            Bench.main(args);
            return;
        }
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        if (Options.asksForHelp(args)) {
            out.println(Options.USAGE);
            return CLEAN;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("chatapp bench: " + e.getMessage());
            err.println(Options.USAGE);
            return USAGE;
        }
        try {
            return new LoadTool(options, out).run();
        } catch (Exception e) {
            err.println("chatapp bench: " + e.getMessage());
            e.printStackTrace(err);
            return FAILED;
        }
    }

    private int run() throws Exception {
        Files.createDirectories(options.out());
        result.put("tool", "chatapp-bench").put("mode", options.mode().wire()).put("startedAt", Instant.now().toString());
        result.set("options", optionsJson());
        ObjectNode machine = result.putObject("machine").put("cpus", Runtime.getRuntime().availableProcessors())
                .put("jdk", Runtime.version().toString());
        machine.set("loadAverageBefore", Report.loadAverage());
        try {
            if (options.mode() != Mode.IDLE) {
                warmUpTool();
            }
            URI base = target();
            api = new Api(base);
            return switch (options.mode()) {
                case STEADY, RAMP, CRASH -> messages();
                case IDLE -> new IdleRun(options, api, child, stateKey, out, result).run();
            };
        } finally {
            machine.set("loadAverageAfter", Report.loadAverage());
            if (child != null) {
                child.close();
            }
            if (scratch != null) {
                scratch.close();
            }
            Report.write(options.out().resolve("result.json"), result);
            out.println("result: " + options.out().resolve("result.json"));
        }
    }

    /**
     * The tool's own warm-up (docs/load-tool.md): the tool is a fresh JVM too, and at 2,000 msg/s
     * its send and receive code, interpreted at first, lags and takes CPU from the server it
     * measures. So before anything reaches the server (before the tool starts one), it runs the
     * same traffic code, the same connections and frames, against {@link StandInServer} on a
     * loopback port for {@code --tool-warmup}. The server gets nothing from this: it is not
     * warmed, and not yet started when the tool starts it.
     */
    private void warmUpTool() throws Exception {
        if (options.toolWarmup().isZero()) {
            toolWarmupLine = "tool warm-up: off (--tool-warmup 0): the first seconds include the tool's own cold start";
            out.println(toolWarmupLine);
            result.putObject("toolWarmup").put("seconds", 0.0).put("sends", 0).put("cpuSeconds", 0.0)
                    .put("jitCpuSeconds", 0.0).put("jitQuiet", false);
            return;
        }
        long t0 = System.nanoTime();
        double cpu0 = Report.toolCpuSeconds();
        double jit0 = ThreadCpu.self().jit();
        long sent;
        boolean jitQuiet = false;
        try (StandInServer standIn = StandInServer.start()) {
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < options.pairs(); i++) {
                pairs.add(new Pair(i, new Account("warm-parent-" + i, "-", "-"), new Account("warm-therapist-" + i, "-", "-"),
                        "warm-conversation-" + i));
            }
            // no REST call is made: the stand-in needs no ticket
            Api nowhere = new Api(URI.create("http://127.0.0.1:9"));
            PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
            // faster than the run itself, so that its hot code gets to the JIT's top tier in a few seconds
            double rate = Math.max(options.rate(), TOOL_WARMUP_RATE);
            double perConnection = Math.max(options.connectionRate(), Math.ceil(rate / (2.0 * options.pairs())));
            long least = options.toolWarmup().toNanos();
            // A first round, then new connections for the rest, as the run opens its connections after
            // the warm-up: their handshakes (Netty's HTTP decoder) then pass through a read path the
            // JIT has compiled for frames, in the warm-up as in the run, instead of throwing the
            // run's compiled read path away in its first seconds (docs/benchmarks.md).
            long sentFirst;
            Traffic round = new Traffic(nowhere, pairs, "warm1", options.size(), perConnection, quiet);
            try {
                round.openTowards(standIn);
                round.start("warm-up");
                long from = System.nanoTime() + 50_000_000L;
                Window roundFirst = new Window(rate);
                Window roundMeasured = new Window(rate);
                round.send(rate, from, from + least / 2, from + least / 4, roundMeasured, roundFirst);
                round.closeWindow(roundMeasured);
                round.drain(TimeUnit.SECONDS.toNanos(5));
                sentFirst = round.offeredCount();
            } finally {
                round.close();
            }
            Traffic warm = new Traffic(nowhere, pairs, "warm", options.size(), perConnection, quiet);
            try {
                warm.openTowards(standIn);
                // the once-a-second progress and /proc reading too (of the tool itself: there is no server yet)
                warm.monitor(() -> ProcessHandle.current().pid());
                warm.start("warm-up");
                long from = System.nanoTime() + 50_000_000L;
                // a first part and a measured part, as in the run: the JIT compiles the code the run
                // takes (recording into both windows), not a variant it would throw away at the start
                Window warmFirst = new Window(rate);
                Window warmMeasured = new Window(rate);
                long measureFrom = from + least / 2;
                // At least --tool-warmup, then on, a second at a time, until the JIT is done with
                // the tool's code (its compiler threads under 5 % of a core for two seconds), at most
                // four times as long: on a busy machine the JIT raises its thresholds while its
                // queue is long, and a fixed few seconds left the top-tier compiles to the run.
                long phase = from;
                double jitBefore = ThreadCpu.self().jit();
                long clock = System.nanoTime();
                int quietSeconds = 0;
                while (true) {
                    long phaseEnd = Math.min(phase + TimeUnit.SECONDS.toNanos(1), from + TOOL_WARMUP_LONGEST_FACTOR * least);
                    warm.send(rate, phase, phaseEnd, measureFrom, warmMeasured, warmFirst);
                    double jitNow = ThreadCpu.self().jit();
                    long now = System.nanoTime();
                    double jitCores = (jitNow - jitBefore) / ((now - clock) / 1e9);
                    jitBefore = jitNow;
                    clock = now;
                    phase = phaseEnd;
                    // two quiet seconds in a row: on a busy machine one may be a compiler thread kept waiting
                    quietSeconds = jitCores < TOOL_WARMUP_QUIET_JIT ? quietSeconds + 1 : 0;
                    if (phase - from >= least && (Double.isNaN(jitCores) || quietSeconds >= 2)) {
                        jitQuiet = !Double.isNaN(jitCores);
                        break;
                    }
                    if (phase - from >= TOOL_WARMUP_LONGEST_FACTOR * least) {
                        break;
                    }
                }
                warm.closeWindow(warmMeasured);
                warm.drain(TimeUnit.SECONDS.toNanos(5));
                sent = sentFirst + warm.offeredCount();
            } finally {
                warm.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = Report.toolCpuSeconds() - cpu0;
        double jit = ThreadCpu.self().jit() - jit0;
        toolWarmupLine = String.format(Locale.ROOT, "tool warm-up: %d sends to a local stand-in in %.1f s (tool CPU %.1f s,"
                + " JIT %.1f s; %s); the server got nothing", sent, seconds, cpu, jit,
                jitQuiet ? "its JIT done" : "its JIT still at work when the time was up");
        out.println(toolWarmupLine);
        result.putObject("toolWarmup").put("seconds", Report.round(seconds, 2)).put("sends", sent)
                .put("cpuSeconds", Report.round(cpu, 2)).put("jitCpuSeconds", Report.round(jit, 2))
                .put("jitQuiet", jitQuiet);
    }

    /** The server to measure: the one given by --target, or a child process on a data directory. */
    private URI target() throws Exception {
        ObjectNode t = result.putObject("target");
        if (options.target() != null) {
            stateKey = options.target().toString();
            t.put("url", stateKey).put("child", false);
            if (new Api(options.target()).getPublic("/actuator/health/readiness") == null) {
                throw new IllegalStateException(options.target() + " is not a ready ChatApp (/actuator/health/readiness)");
            }
            return options.target();
        }
        if (options.dataDir() == null) {
            scratch = Scratch.create("chatapp-bench"); // removed at the end of the run
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : scratch.path().resolve("data");
        stateKey = options.dataDir() != null ? "data-dir:" + dataDir.toAbsolutePath().normalize() : null;
        out.println("starting the server: " + options.serverJar() + ", data " + dataDir);
        long t0 = System.nanoTime();
        List<String> jvmOptions = new ArrayList<>(options.serverOpts());
        if (options.mode() == Mode.IDLE && options.connections() > TOMCAT_MAX_CONNECTIONS - 500
                && options.serverOpts().stream().noneMatch(o -> o.contains("max-connections"))) {
            int max = options.connections() + 1000;
            jvmOptions.add("-Dserver.tomcat.max-connections=" + max);
            out.printf("note: Tomcat accepts %d connections by default (server.tomcat.max-connections);"
                    + " the started server gets %d%n", TOMCAT_MAX_CONNECTIONS, max);
        }
        List<String> serverArgs = options.serverLimits();
        if (!serverArgs.isEmpty()) {
            out.printf(Locale.ROOT, "each connection sends up to %.0f frames/s, so the started server gets %s%n",
                    options.connectionRate(), String.join(" ", serverArgs));
        }
        child = ChildServer.start(options.serverJar(), dataDir, jvmOptions, serverArgs, options.out().resolve("server.log"));
        out.printf(Locale.ROOT, "server pid %d ready at %s in %.1f s (log %s)%n", child.pid(), child.base(),
                (System.nanoTime() - t0) / 1e9, child.log());
        t.put("url", child.base().toString()).put("child", true).put("pid", child.pid()).put("log", child.log().toString())
                .put("dataDir", dataDir.toString()).put("dataDirRemoved", scratch != null);
        ArrayNode args = t.putArray("serverArgs");
        serverArgs.forEach(args::add);
        ArrayNode opts = t.putArray("jvmOptions");
        jvmOptions.forEach(opts::add);
        return child.base();
    }

    // ------------------------------------------------------------------ steady, ramp, crash

    private int messages() throws Exception {
        List<Pair> pairs = Pairs.prepare(api, options.pairs(), options.state(), stateKey, out);
        String run = "b" + Long.toString(System.currentTimeMillis(), 36);
        Traffic traffic = new Traffic(api, pairs, run, options.size(), options.connectionRate(), out);
        long t0 = System.nanoTime();
        traffic.open();
        out.printf(Locale.ROOT, "%d connections open in %.1f s%n", traffic.connectionCount(), (System.nanoTime() - t0) / 1e9);
        double serverCpu0 = child != null ? child.cpuSeconds() : Double.NaN;
        double toolCpu0 = Report.toolCpuSeconds();
        if (child != null) {
            traffic.monitor(child::pid);
        }
        traffic.start(options.mode().wire());
        Path jfr = options.out().toAbsolutePath().resolve("server.jfr");
        if (options.profile()) {
            child.jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
        }
        List<Window> windows = new ArrayList<>();
        ObjectNode modeJson = result.putObject(options.mode().wire());
        boolean settled;
        try {
            switch (options.mode()) {
                case STEADY -> windows.add(steady(traffic));
                case RAMP -> windows.addAll(ramp(traffic, modeJson));
                case CRASH -> windows.add(crash(traffic, modeJson));
                default -> throw new IllegalStateException();
            }
            if (options.profile()) {
                child.jcmd("JFR.stop", "name=bench");
                out.println("server profile: " + jfr + " (scripts/jfr-top.sh " + jfr + ")");
                result.putObject("files").put("serverProfile", jfr.toString());
            }
            long d0 = System.nanoTime();
            settled = traffic.drain(options.drain().toNanos());
            result.put("drainSeconds", Report.round((System.nanoTime() - d0) / 1e9, 2)).put("settled", settled);
        } finally {
            // Nothing may change while the history is read: an ack arriving after the read would
            // look like a lost message. Sends still unacked now count as never acked.
            traffic.close();
        }
        double runSeconds = traffic.elapsed();
        double serverCpu = child != null ? child.cpuSeconds() - serverCpu0 : Double.NaN;
        double toolCpu = Report.toolCpuSeconds() - toolCpu0;
        long noAck = traffic.outstanding();
        if (noAck > 0) {
            traffic.errors.computeIfAbsent("no_ack_after_drain", k -> new java.util.concurrent.atomic.LongAdder()).add(noAck);
        }
        out.println("verifying through the REST history...");
        Verdict verdict = Verification.check(traffic.sends(), Verification.read(api, pairs, traffic), run);
        return summary(traffic, windows, verdict, runSeconds, serverCpu, toolCpu);
    }

    private Window steady(Traffic traffic) {
        Window w = new Window(options.rate());
        long from = System.nanoTime() + 50_000_000L;
        traffic.send(options.rate(), from, from + options.duration().toNanos(), from + options.warmup().toNanos(), w, first);
        traffic.closeWindow(w);
        return w;
    }

    /**
     * Steps of {@code --duration} at rising rates; after each the tool waits for its outstanding
     * acks (at most 5 s) and judges it: sustained if p99 of ack and end-to-end latency are within
     * the bound, nothing was refused and nothing is left unacked. Latency counts from the due time,
     * so a server that falls behind the offered rate fails the bound; the acked rate is reported
     * beside it. A failed step is tried once more (the machine is shared) before the ramp ends.
     */
    private List<Window> ramp(Traffic traffic, ObjectNode json) throws InterruptedException {
        List<Window> windows = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        ArrayNode steps = json.putArray("steps");
        double bound = options.p99Bound().toNanos() / 1e6;
        double highest = 0;
        double rate = options.rate();
        boolean retried = false;
        while (rate <= options.maxRate() + 1e-9) {
            long errorsBefore = traffic.errorCount();
            Window w = new Window(rate);
            long from = System.nanoTime() + 50_000_000L;
            traffic.send(rate, from, from + options.duration().toNanos(), from + options.warmup().toNanos(), w);
            traffic.closeWindow(w);
            traffic.drain(Math.min(options.drain().toNanos(), TimeUnit.SECONDS.toNanos(5)));
            long stuck = traffic.outstanding();
            long refused = traffic.errorCount() - errorsBefore;
            double ackP99 = p99(w.ack);
            double e2eP99 = p99(w.e2e);
            boolean sustained = ackP99 <= bound && e2eP99 <= bound && stuck == 0 && refused == 0;
            out.printf(Locale.ROOT, "step %.0f msg/s: acked %.0f/s, ack p99 %.2f ms, end-to-end p99 %.2f ms, unacked %d,"
                    + " refused %d: %s%n", rate, w.ackRate(), ackP99, e2eP99, stuck, refused,
                    sustained ? "sustained" : "NOT sustained" + (retried ? "" : ", trying once more"));
            steps.add(Api.JSON.createObjectNode().put("offered", rate).put("acked", Report.round(w.ackRate(), 1))
                    .put("delivered", Report.round(w.deliveryRate(), 1)).put("unackedAfterStep", stuck)
                    .put("refused", refused).put("sustained", sustained)
                    .<ObjectNode>set("ack", Report.latency(w.ack)).set("endToEnd", Report.latency(w.e2e)));
            points.add(new double[] {rate, ackP99, e2eP99, w.ackRate()});
            windows.add(w);
            if (sustained) {
                highest = rate;
                rate += options.step();
                retried = false;
            } else if (!retried) {
                retried = true;
                traffic.drain(TimeUnit.SECONDS.toNanos(10));
            } else {
                break;
            }
        }
        json.put("p99BoundMs", bound).put("highestSustainedRate", highest).put("reachedMaxRate", rate > options.maxRate());
        out.printf(Locale.ROOT, "highest sustained rate: %.0f msg/s (p99 <= %.0f ms)%s%n", highest, bound,
                rate > options.maxRate() ? " (reached --max-rate; raise it or --pairs)" : "");
        try {
            Plots.ramp(options.out().resolve("ramp.png"), points, bound);
        } catch (java.io.IOException e) {
            out.println("could not draw ramp.png: " + e.getMessage());
        }
        return windows;
    }

    /**
     * Sends for at least {@code --duration} while a second thread kills the server with SIGKILL
     * {@code --kills} times, each at a random moment 1 to 3 s after every connection is back and
     * the server has acked a quarter second's worth of sends, and starts it again on the same data
     * directory. Sending goes on at the same rate throughout
     * (sends to a lost connection wait for the reconnect) and for 3 s after the last restart.
     */
    private Window crash(Traffic traffic, ObjectNode json) throws Exception {
        Random random = new Random(options.seed());
        json.put("seed", options.seed());
        ArrayNode kills = json.putArray("kills");
        Window w = new Window(options.rate());
        long from = System.nanoTime() + 50_000_000L;
        long minEnd = from + options.duration().toNanos();
        long measureFrom = from + options.warmup().toNanos();
        Exception[] killerFailure = new Exception[1];
        Thread killer = Thread.ofPlatform().name("killer").start(() -> {
            try {
                for (int k = 1; k <= options.kills(); k++) {
                    long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (traffic.openConnections() < traffic.connectionCount() && System.nanoTime() < wait) {
                        Thread.sleep(20);
                    }
                    // under load: the restarted server is acking again before the random wait starts
                    long acksNow = traffic.ackCount();
                    long enough = Math.max(10, (long) (options.rate() / 4));
                    while (traffic.ackCount() - acksNow < enough && System.nanoTime() < wait) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(1000 + random.nextInt(2000));
                    long outstanding = traffic.outstanding();
                    long acked = traffic.ackCount();
                    double at = traffic.elapsed();
                    child.kill();
                    traffic.kills.add(at);
                    long r0 = System.nanoTime();
                    child.start();
                    double restart = (System.nanoTime() - r0) / 1e9;
                    out.printf(Locale.ROOT, "kill -9 #%d at %.1f s (%d acked so far, %d unacked in flight);"
                            + " restarted in %.1f s, pid %d%n", k, at, acked, outstanding, restart, child.pid());
                    kills.add(Api.JSON.createObjectNode().put("at", Report.round(at, 2)).put("ackedBefore", acked)
                            .put("unackedAtKill", outstanding).put("restartSeconds", Report.round(restart, 2))
                            .put("newPid", child.pid()));
                }
            } catch (Exception e) {
                killerFailure[0] = e;
            }
        });
        long phase = from;
        while (true) {
            long end = phase + 1_000_000_000L;
            traffic.send(options.rate(), phase, end, measureFrom, w, first);
            phase = end;
            if (!killer.isAlive() && phase >= minEnd) {
                break;
            }
        }
        // three more seconds of traffic after the last restart
        traffic.send(options.rate(), phase, phase + 3_000_000_000L, measureFrom, w);
        traffic.closeWindow(w);
        killer.join();
        if (killerFailure[0] != null) {
            throw new IllegalStateException("the server could not be killed and restarted: " + killerFailure[0].getMessage(),
                    killerFailure[0]);
        }
        json.put("killCount", kills.size());
        return w;
    }

    private int summary(Traffic traffic, List<Window> windows, Verdict v, double runSeconds, double serverCpu,
            double toolCpu) throws Exception {
        Histogram ack = new Histogram(3);
        Histogram e2e = new Histogram(3);
        Histogram sendLag = new Histogram(3);
        Histogram handling = new Histogram(3);
        for (Window w : windows) {
            ack.add(w.ack);
            e2e.add(w.e2e);
            sendLag.add(w.sendLag);
            handling.add(w.handling);
        }
        Window main = windows.getLast();
        if (options.mode() == Mode.RAMP) {
            // the figures of the last sustained step
            for (int i = windows.size() - 1; i >= 0; i--) {
                if (result.path("ramp").path("steps").get(i).path("sustained").asBoolean()) {
                    main = windows.get(i);
                    break;
                }
            }
            ack = main.ack;
            e2e = main.e2e;
            sendLag = main.sendLag;
            handling = main.handling;
        }
        Path dir = options.out();
        Plots.overTime(dir.resolve("latency-over-time.png"), options.mode().wire(), traffic.ticks, traffic.kills);
        Plots.distribution(dir.resolve("latency-distribution.png"), options.mode().wire(), List.of("ack", "end-to-end"),
                List.of(ack, e2e));
        Report.hgrm(dir.resolve("ack.hgrm"), ack);
        Report.hgrm(dir.resolve("end-to-end.hgrm"), e2e);

        result.set("latencyMs", Api.JSON.createObjectNode().<ObjectNode>set("ack", Report.latency(ack))
                .set("endToEnd", Report.latency(e2e)));
        if (first.ack.getTotalCount() > 0) {
            result.set("warmupLatencyMs", Api.JSON.createObjectNode().put("seconds", options.warmup().toMillis() / 1000.0)
                    .<ObjectNode>set("ack", Report.latency(first.ack)).set("endToEnd", Report.latency(first.e2e)));
        }
        // the tool's own part of the latencies: a cold tool (a fresh JVM too) must not pass for a cold server
        ObjectNode toolLag = result.putObject("toolLagMs");
        toolLag.putObject("measured").<ObjectNode>set("sendLag", Report.latency(sendLag))
                .set("frameHandling", Report.latency(handling));
        if (first.sendLag.getTotalCount() > 0) {
            toolLag.putObject("first").<ObjectNode>set("sendLag", Report.latency(first.sendLag))
                    .set("frameHandling", Report.latency(first.handling));
        }
        double warmupSeconds = options.warmup().toMillis() / 1000.0;
        ObjectNode cpu = result.putObject("cpuByPhase");
        cpuJson(cpu.putObject("first"), traffic.ticks, warmupSeconds, true);
        cpuJson(cpu.putObject("after"), traffic.ticks, warmupSeconds, false);
        result.putObject("throughput").put("offered", main.rate).put("acked", Report.round(main.ackRate(), 1))
                .put("delivered", Report.round(main.deliveryRate(), 1)).put("windowSeconds", Report.round(main.seconds(), 2))
                .put("schedulerMaxLagMs", Report.round(traffic.maxLagMillis(), 2));
        result.set("errors", Report.errorsJson(traffic.errors));
        result.putObject("connections").put("count", traffic.connectionCount()).put("disconnects", traffic.disconnects.sum())
                .put("reconnects", traffic.reconnects.sum()).put("failedReconnectAttempts", traffic.failedReconnectAttempts.sum())
                .put("failedCatchUps", traffic.failedCatchUps.sum()).put("resentSends", traffic.resent.sum())
                .put("ackedAfterResend", traffic.ackedAfterResend.sum()).put("repeatAcks", traffic.repeatAcks.sum())
                .put("ackMismatches", traffic.ackMismatches.sum()).put("repeatDeliveries", traffic.repeatDeliveries.sum())
                .put("unknownFrames", traffic.unknownFrames.sum());
        result.putObject("cpuSeconds").put("server", Report.round(serverCpu, 1)).put("tool", Report.round(toolCpu, 1))
                .put("runSeconds", Report.round(runSeconds, 1));
        ObjectNode verification = Api.JSON.valueToTree(v);
        result.set("verification", verification.put("clean", v.clean()));
        ArrayNode timeline = result.putArray("timeline");
        traffic.ticks.forEach(t -> timeline.add(Api.JSON.<JsonNode>valueToTree(t)));
        ObjectNode files = result.get("files") instanceof ObjectNode f ? f : result.putObject("files");
        files.put("latencyOverTime", dir.resolve("latency-over-time.png").toString())
                .put("latencyDistribution", dir.resolve("latency-distribution.png").toString());

        out.println();
        out.printf(Locale.ROOT, "ChatApp load tool: %s, %d pairs (%d connections), %s%n", options.mode().wire(),
                options.pairs(), traffic.connectionCount(), describeRate());
        out.printf(Locale.ROOT, "target %s%s; load average before %s, after %s%n", api.base(),
                child != null ? " (started by the tool, pid " + child.pid() + ")" : "",
                result.path("machine").path("loadAverageBefore"), Report.loadAverage());
        if (toolWarmupLine != null) {
            out.println(toolWarmupLine);
        }
        Report.latencyTable(out, List.of("ack (send->ack)", "end-to-end (->recipient)"), List.of(ack, e2e));
        if (first.ack.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "first %.1f s (warm-up, not in the figures above; a cold server's JIT and caches):%n",
                    options.warmup().toMillis() / 1000.0);
            Report.latencyTable(out, List.of("  ack", "  end-to-end"), List.of(first.ack, first.e2e));
        }
        out.println("the tool's own part (in the latencies above; a fresh JVM is slow at first too):");
        if (first.sendLag.getTotalCount() > 0) {
            Report.latencyTable(out, List.of("  send lag, first", "  frame handling, first", "  send lag, after",
                    "  frame handling, after"), List.of(first.sendLag, first.handling, sendLag, handling));
        } else {
            Report.latencyTable(out, List.of("  send lag", "  frame handling"), List.of(sendLag, handling));
        }
        out.println(cpuLine("cpu in the first " + Report.round(warmupSeconds, 1) + " s", cpu.path("first")));
        out.println(cpuLine("cpu after", cpu.path("after")));
        out.printf(Locale.ROOT, "throughput: offered %.0f/s, acked %.1f/s, delivered %.1f/s over %.1f s (tool lag max %.1f ms)%n",
                main.rate, main.ackRate(), main.deliveryRate(), main.seconds(), traffic.maxLagMillis());
        out.printf(Locale.ROOT, "cpu: server %s, tool %.1f s over %.1f s on %d cores%n",
                Double.isNaN(serverCpu) ? "not measured (--target)" : String.format(Locale.ROOT, "%.1f s", serverCpu), toolCpu,
                runSeconds, Runtime.getRuntime().availableProcessors());
        out.println("errors: " + Report.errors(traffic.errors));
        out.printf(Locale.ROOT, "connections: %d disconnects, %d reconnects (%d failed attempts, %d failed catch-ups),"
                + " %d sends resent (%d acked only after a resend), %d repeat acks, %d ack mismatches%n",
                traffic.disconnects.sum(), traffic.reconnects.sum(), traffic.failedReconnectAttempts.sum(),
                traffic.failedCatchUps.sum(), traffic.resent.sum(), traffic.ackedAfterResend.sum(), traffic.repeatAcks.sum(),
                traffic.ackMismatches.sum());
        out.printf(Locale.ROOT, "verification: %d sent, %d acked, %d stored once; lost %d, duplicated %d, mismatched %d,"
                + " undelivered %d, out of order %d (delivered live %d, by catch-up %d; refused %d, never acked %d,"
                + " stored without ack %d)%n", v.sent(), v.acked(), v.storedOnce(), v.lost(), v.duplicated(), v.mismatched(),
                v.undelivered(), v.outOfOrder(), v.deliveredLive(), v.deliveredByCatchUp(), v.refused(), v.neverAcked(),
                v.storedUnacked());
        v.examples().forEach(e -> out.println("  " + e));
        out.println(v.clean() ? "OK: every acked message stored exactly once and delivered"
                : "FAILED: acked messages were lost, duplicated, altered or not delivered");
        out.println("plots: " + dir.resolve("latency-over-time.png") + ", " + dir.resolve("latency-distribution.png")
                + (options.mode() == Mode.RAMP ? ", " + dir.resolve("ramp.png") : ""));
        return v.clean() ? CLEAN : BROKEN_PROMISE;
    }

    /**
     * The CPU seconds of the ticks of the first seconds (the warm-up), or of the rest: server (with
     * its JIT, GC and writer threads) and tool (with its JIT), and how many ticks they cover.
     */
    private static void cpuJson(ObjectNode json, List<Traffic.Tick> ticks, double warmupSeconds, boolean first) {
        double seconds = 0;
        double[] sums = new double[7];
        for (Traffic.Tick t : ticks) {
            // a tick covers about the second before it: it is of the warm-up when that second
            // started more than a quarter second before the warm-up's end
            if ((t.at() < warmupSeconds + 0.75) != first) {
                continue;
            }
            seconds++;
            double[] v = {t.serverCpu(), t.serverJitCpu(), t.serverGcCpu(), t.serverWriterCpu(), t.toolCpu(), t.toolJitCpu(),
                t.ackCount()};
            for (int i = 0; i < v.length; i++) {
                sums[i] += v[i];
            }
        }
        json.put("seconds", seconds).put("server", Report.round(sums[0], 2)).put("serverJit", Report.round(sums[1], 2))
                .put("serverGc", Report.round(sums[2], 2)).put("serverWriter", Report.round(sums[3], 2))
                .put("tool", Report.round(sums[4], 2)).put("toolJit", Report.round(sums[5], 2))
                .put("acks", (long) sums[6]);
    }

    private static String cpuLine(String label, JsonNode c) {
        double acks = c.path("acks").asDouble();
        if (Double.isNaN(c.path("server").asDouble())) { // --target: another machine's process, not read here
            return String.format(Locale.ROOT, "%s (%.0f ticks): server not measured (--target), tool %.2f s (JIT %.2f)",
                    label, c.path("seconds").asDouble(), c.path("tool").asDouble(), c.path("toolJit").asDouble());
        }
        return String.format(Locale.ROOT, "%s (%.0f ticks): server %.2f s (JIT %.2f, GC %.2f, writer %.2f; %.3f ms a message),"
                + " tool %.2f s (JIT %.2f)", label, c.path("seconds").asDouble(), c.path("server").asDouble(),
                c.path("serverJit").asDouble(), c.path("serverGc").asDouble(), c.path("serverWriter").asDouble(),
                acks > 0 ? 1000 * c.path("server").asDouble() / acks : Double.NaN, c.path("tool").asDouble(),
                c.path("toolJit").asDouble());
    }

    private String describeRate() {
        return switch (options.mode()) {
            case RAMP -> String.format(Locale.ROOT, "from %.0f msg/s in steps of %.0f, %.1f s each, p99 bound %d ms",
                    options.rate(), options.step(), options.duration().toMillis() / 1000.0, options.p99Bound().toMillis());
            case CRASH -> String.format(Locale.ROOT, "%.0f msg/s, %d kills", options.rate(), options.kills());
            default -> String.format(Locale.ROOT, "%.0f msg/s for %d s (first %.1f s reported apart)", options.rate(),
                    options.duration().toSeconds(), options.warmup().toMillis() / 1000.0);
        };
    }

    private static double p99(Histogram h) {
        return h.getTotalCount() == 0 ? Double.POSITIVE_INFINITY : h.getValueAtPercentile(99) / 1000.0;
    }

    private ObjectNode optionsJson() {
        Options o = options;
        return Api.JSON.createObjectNode().put("pairs", o.pairs()).put("rate", o.rate())
                .put("durationSeconds", o.duration().toMillis() / 1000.0).put("warmupSeconds", o.warmup().toMillis() / 1000.0)
                .put("drainSeconds", o.drain().toMillis() / 1000.0).put("size", o.size()).put("step", o.step())
                .put("maxRate", o.maxRate()).put("p99BoundMs", o.p99Bound().toMillis()).put("connections", o.connections())
                .put("kills", o.kills()).put("connectionRate", o.connectionRate()).put("out", o.out().toString())
                .put("toolWarmupSeconds", o.toolWarmup().toMillis() / 1000.0);
    }
}
