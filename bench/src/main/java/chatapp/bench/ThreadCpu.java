package chatapp.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** The group of each thread of the processes read so far, by pid and thread id (names of a thread's life). */
    private static final Map<Long, Map<String, Group>> GROUPS = new ConcurrentHashMap<>();

    /** UNSURE: another group on first sight; read again once, as a new thread may not have its name yet. */
    private enum Group {
        JIT, GC, WRITER, OTHER, UNSURE
    }

    /**
     * Reads the process's CPU time and its threads' (user + system). Threads that ended are in the
     * total only. Each thread's name is read once; only the threads of the groups counted apart are
     * read again each time (this runs once a second in the tool that measures).
     */
    static Sample of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long total = ticks(Files.readString(proc.resolve("stat")));
            long jit = 0;
            long gc = 0;
            long writer = 0;
            Map<String, Group> groups = GROUPS.computeIfAbsent(pid, p -> new ConcurrentHashMap<>());
            Set<String> alive = new HashSet<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
                for (Path task : tasks) {
                    String tid = task.getFileName().toString();
                    alive.add(tid);
                    Group group = groups.get(tid);
                    long t;
                    try {
                        if (group == null || group == Group.UNSURE) {
                            Group named = group(Files.readString(task.resolve("comm")).strip());
                            group = named == Group.OTHER && group == null ? Group.UNSURE : named;
                            groups.put(tid, group);
                        }
                        if (group == Group.OTHER || group == Group.UNSURE) {
                            continue;
                        }
                        t = ticks(Files.readString(task.resolve("stat")));
                    } catch (IOException e) {
                        continue; // the thread ended meanwhile
                    }
                    switch (group) {
                        case JIT -> jit += t;
                        case GC -> gc += t;
                        case WRITER -> writer += t;
                        default -> {
                        }
                    }
                }
            }
            groups.keySet().retainAll(alive); // a new thread may get an ended one's id
            return new Sample(total / TICKS_PER_SECOND, jit / TICKS_PER_SECOND, gc / TICKS_PER_SECOND,
                    writer / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return Sample.NONE;
        }
    }

    private static Group group(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Group.JIT;
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return Group.GC;
        } else if (name.equals("sqlite-writer")) {
            return Group.WRITER;
        }
        return Group.OTHER;
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
