package chatapp.bench;

import chatapp.bench.Pairs.Pair;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Idle mode: opens {@code --connections} WebSockets spread over the pairs' users (each with its own
 * ticket), holds them open for {@code --duration}, and reports the server's memory per
 * connection: resident memory (VmRSS) and live heap after a full collection when the tool started
 * the server, else the heap in use from the actuator metric {@code jvm.memory.used} if the server
 * exposes it. Also the time to connect (ticket, handshake, {@code hello}) and how many connections
 * dropped while idle.
 */
final class IdleRun implements Connection.Events {

    private final Options options;
    private final Api api;
    private final ChildServer child;
    private final String stateKey;
    private final PrintStream out;
    private final ObjectNode result;
    private final LongAdder dropped = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final List<double[]> samples = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    IdleRun(Options options, Api api, ChildServer child, String stateKey, PrintStream out, ObjectNode result) {
        this.options = options;
        this.api = api;
        this.child = child;
        this.stateKey = stateKey;
        this.out = out;
        this.result = result;
    }

    int run() throws Exception {
        List<Pair> pairs = Pairs.prepare(api, options.pairs(), options.state(), stateKey, out);
        List<Account> users = new ArrayList<>();
        for (Pair p : pairs) {
            users.add(p.parent());
            users.add(p.therapist());
        }
        long t0 = System.nanoTime();
        // Warm-up: classes, pools and buffers of the server's WebSocket path exist before the baseline.
        closeAll(openAll(users, Math.min(200, options.connections()), null));
        Thread.sleep(2000);
        Memory before = memory();
        out.printf(Locale.ROOT, "before: %s%n", before);
        Thread sampler = Thread.ofPlatform().daemon().name("sampler").start(() -> sample(t0));
        ConcurrentHistogram connectTime = new ConcurrentHistogram(3);
        long o0 = System.nanoTime();
        List<Connection> connections = openAll(users, options.connections(), connectTime);
        double openSeconds = (System.nanoTime() - o0) / 1e9;
        out.printf(Locale.ROOT, "%d connections open in %.1f s (%d failed); holding them idle for %d s%n", connections.size(),
                openSeconds, options.connections() - connections.size(), options.duration().toSeconds());
        Thread.sleep(options.duration().toMillis());
        int stillOpen = (int) connections.stream().filter(Connection::isOpen).count();
        Memory after = memory();
        long threads = child != null ? child.threads() : -1;
        sampler.interrupt();
        closeAll(connections);

        int n = connections.size();
        double rssPer = n == 0 ? Double.NaN : (after.rss - before.rss) / (double) n;
        double heapPer = n == 0 ? Double.NaN : (after.heap - before.heap) / (double) n;
        ObjectNode idle = result.putObject("idle").put("requested", options.connections()).put("opened", n)
                .put("stillOpenAfterHold", stillOpen).put("droppedWhileIdle", dropped.sum())
                .put("users", users.size()).put("openSeconds", Report.round(openSeconds, 2))
                .put("holdSeconds", options.duration().toSeconds()).put("memorySource", after.source)
                .put("serverThreads", threads);
        idle.putObject("before").put("residentBytes", before.rss).put("heapBytes", before.heap);
        idle.putObject("after").put("residentBytes", after.rss).put("heapBytes", after.heap);
        idle.putObject("perConnection").put("residentBytes", Report.round(rssPer, 0)).put("heapBytes", Report.round(heapPer, 0));
        idle.set("connectMs", Report.latency(connectTime));
        ObjectNode f = idle.putObject("failures");
        failures.forEach((k, v) -> f.put(k, v.sum()));
        ArrayNode s = idle.putArray("samples");
        synchronized (samples) {
            samples.forEach(x -> s.add(Api.JSON.createArrayNode().add(Report.round(x[0], 1)).add(x[1])
                    .add(Report.round(x[2], 1))));
            Plots.idle(options.out().resolve("memory.png"), samples);
        }
        Plots.distribution(options.out().resolve("latency-distribution.png"), "idle", List.of("connect (ticket+handshake+hello)"),
                List.<Histogram>of(connectTime));
        result.putObject("files").put("memory", options.out().resolve("memory.png").toString())
                .put("latencyDistribution", options.out().resolve("latency-distribution.png").toString());

        out.println();
        out.printf(Locale.ROOT, "ChatApp load tool: idle, %d connections over %d users, held %d s; target %s%s%n", n,
                users.size(), options.duration().toSeconds(), api.base(),
                child != null ? " (started by the tool, pid " + child.pid() + ")" : "");
        Report.latencyTable(out, List.of("connect"), List.<Histogram>of(connectTime));
        out.printf(Locale.ROOT, "%-26s %14s %14s %14s%n", "server memory (" + after.source + ")", "before", "after",
                "per connection");
        out.printf(Locale.ROOT, "%-26s %11.1f MiB %11.1f MiB %11.1f KiB%n", "resident (VmRSS)", before.rss / 1048576.0,
                after.rss / 1048576.0, rssPer / 1024);
        out.printf(Locale.ROOT, "%-26s %11.1f MiB %11.1f MiB %11.1f KiB%n",
                child != null ? "live heap (after full GC)" : "heap used", before.heap / 1048576.0, after.heap / 1048576.0,
                heapPer / 1024);
        out.printf(Locale.ROOT, "still open after the hold: %d of %d (dropped %d); failed to open: %s; server threads %d%n",
                stillOpen, n, dropped.sum(), failures.isEmpty() ? "none" : Report.errors(failures), threads);
        boolean ok = n == options.connections() && stillOpen == n;
        out.println(ok ? "OK: every connection opened and stayed open" : "FAILED: connections failed to open or dropped");
        out.println("plots: " + options.out().resolve("memory.png") + ", " + options.out().resolve("latency-distribution.png"));
        return ok ? LoadTool.CLEAN : LoadTool.BROKEN_PROMISE;
    }

    /** Opens {@code n} connections round-robin over the users, 32 handshakes at a time. */
    private List<Connection> openAll(List<Account> users, int n, ConcurrentHistogram connectTime) throws Exception {
        List<Connection> opened = new ArrayList<>(n);
        try (ExecutorService pool = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<Connection>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Account a = users.get(i % users.size());
                int index = i;
                futures.add(pool.submit(() -> {
                    Connection c = new Connection(api, a, index, this, 1);
                    long s = System.nanoTime();
                    try {
                        c.open();
                    } catch (Api.ApiException e) {
                        failures.computeIfAbsent("ticket_" + e.code, k -> new LongAdder()).increment();
                        return null;
                    } catch (Exception e) {
                        failures.computeIfAbsent("handshake: " + rootCause(e), k -> new LongAdder()).increment();
                        return null;
                    }
                    if (connectTime != null) {
                        connectTime.recordValue((System.nanoTime() - s) / 1000);
                        open.incrementAndGet();
                    }
                    return c;
                }));
            }
            for (Future<Connection> f : futures) {
                Connection c = f.get();
                if (c != null) {
                    opened.add(c);
                }
            }
        }
        return opened;
    }

    private void closeAll(List<Connection> connections) {
        Connection.closeAll(connections);
        open.set(0);
    }

    @Override
    public void frame(Connection connection, byte[] utf8, int offset, int length, long arrivedNanos) {
        // idle: presence and pong frames are all that can come
    }

    @Override
    public void closed(Connection connection, int code, String reason) {
        dropped.increment();
        failures.computeIfAbsent("closed_" + code, k -> new LongAdder()).increment();
    }

    private record Memory(long rss, long heap, String source) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: resident %.1f MiB, heap %.1f MiB", source, rss / 1048576.0, heap / 1048576.0);
        }
    }

    private Memory memory() throws Exception {
        if (child != null) {
            long heap = child.liveHeapBytes();
            Thread.sleep(500); // let the collection's effect on RSS settle
            return new Memory(child.residentBytes(), heap, "child process");
        }
        JsonNode m = api.getPublic("/actuator/metrics/jvm.memory.used?tag=area:heap");
        long heap = m == null ? 0 : m.path("measurements").path(0).path("value").asLong();
        return new Memory(0, heap, m == null ? "remote, no metrics endpoint" : "remote actuator jvm.memory.used");
    }

    private void sample(long t0) {
        while (!Thread.currentThread().isInterrupted()) {
            double rss = 0;
            try {
                rss = child != null ? child.residentBytes() / 1048576.0 : 0;
            } catch (Exception e) {
                // process gone
            }
            synchronized (samples) {
                samples.add(new double[] {(System.nanoTime() - t0) / 1e9, open.get(), rss});
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String rootCause(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getClass().getSimpleName();
    }
}
