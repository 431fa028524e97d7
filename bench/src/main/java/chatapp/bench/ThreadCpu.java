package chatapp.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of one process split by what its threads do, read from {@code /proc/<pid>/task}:
 * the JIT compilers ({@code C1/C2 CompilerThread}), the garbage collector ({@code GC Thread},
 * {@code G1 ...}), the SQLite writer ({@code sqlite-writer}) and everything else. A cold JVM spends
 * its first seconds compiling; this says how much, beside the work itself. Linux only: elsewhere
 * every figure is NaN.
 */
final class ThreadCpu {

    /** CPU seconds used so far, in all and by the groups of threads. */
    record Sample(double total, double jit, double gc, double writer) {

        static final Sample NONE = new Sample(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** The difference {@code this - earlier}, each figure in seconds. */
        Sample minus(Sample earlier) {
            return new Sample(total - earlier.total, jit - earlier.jit, gc - earlier.gc, writer - earlier.writer);
        }
    }

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux the tool runs on

    private ThreadCpu() {
    }

    /**
     * Reads the process's CPU time and its threads' (user + system). Threads that ended are in the
     * total only.
     */
    static Sample of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long total = ticks(Files.readString(proc.resolve("stat")));
            long jit = 0;
            long gc = 0;
            long writer = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    String name;
                    long t;
                    try {
                        name = Files.readString(task.resolve("comm")).strip();
                        t = ticks(Files.readString(task.resolve("stat")));
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        jit += t;
                    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
                        gc += t;
                    } else if (name.equals("sqlite-writer")) {
                        writer += t;
                    }
                }
            }
            return new Sample(total / TICKS_PER_SECOND, jit / TICKS_PER_SECOND, gc / TICKS_PER_SECOND,
                    writer / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return Sample.NONE;
        }
    }

    /** This JVM's own threads. */
    static Sample self() {
        return of(ProcessHandle.current().pid());
    }

    /** utime + stime, fields 14 and 15 of a stat line (counted after the command name in parentheses). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
