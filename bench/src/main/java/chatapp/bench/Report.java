package chatapp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The terminal summary and the files of a run: result.json and HdrHistogram's .hgrm tables. */
final class Report {

    private Report() {
    }

    /** p50, p90, p99, p99.9, max and mean in milliseconds, and the count. */
    static ObjectNode latency(Histogram h) {
        ObjectNode n = Api.JSON.createObjectNode().put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return n;
        }
        return n.put("p50", ms(h.getValueAtPercentile(50))).put("p90", ms(h.getValueAtPercentile(90)))
                .put("p99", ms(h.getValueAtPercentile(99))).put("p99_9", ms(h.getValueAtPercentile(99.9)))
                .put("max", ms(h.getMaxValue())).put("mean", Math.round(h.getMean()) / 1000.0);
    }

    /** A table of latencies, one row per histogram. */
    static void latencyTable(PrintStream out, List<String> names, List<Histogram> histograms) {
        out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %9s %10s%n", "latency (ms)", "p50", "p90", "p99", "p99.9", "max", "count");
        for (int i = 0; i < names.size(); i++) {
            Histogram h = histograms.get(i);
            if (h.getTotalCount() == 0) {
                out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %9s %10d%n", names.get(i), "-", "-", "-", "-", "-", 0);
                continue;
            }
            out.printf(Locale.ROOT, "%-22s %9.2f %9.2f %9.2f %9.2f %9.2f %10d%n", names.get(i),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
        }
    }

    /** Error counts by code, sorted; "none" when there were none. */
    static String errors(Map<String, LongAdder> errors) {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((k, v) -> {
            if (v.sum() > 0) {
                sorted.put(k, v.sum());
            }
        });
        if (sorted.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        sorted.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return b.toString();
    }

    static ObjectNode errorsJson(Map<String, LongAdder> errors) {
        ObjectNode n = Api.JSON.createObjectNode();
        new TreeMap<>(errors).forEach((k, v) -> n.put(k, v.sum()));
        return n;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg (empty where there is none). */
    static ArrayNode loadAverage() {
        ArrayNode a = Api.JSON.createArrayNode();
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                a.add(Double.parseDouble(f[i]));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return a;
    }

    /** CPU seconds this JVM has used. */
    static double toolCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static void write(Path file, ObjectNode result) throws IOException {
        Files.writeString(file, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }

    /** HdrHistogram's percentile distribution table, in milliseconds. */
    static void hgrm(Path file, Histogram h) throws IOException {
        try (PrintStream p = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.UTF_8)) {
            if (h.getTotalCount() > 0) {
                h.outputPercentileDistribution(p, 1000.0);
            }
        }
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
