package chatapp.server.account;

import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Sign-up and login latency of the one-machine shape (docs/benchmarks.md, "Accounts"): a real
 * server on SQLite in this JVM, 16 concurrent clients over real HTTP on loopback, each request
 * timed from send to answer. Not a test: run it with {@code scripts/bench-accounts.sh}.
 *
 * <p>Arguments: total sign-ups (default 800), total logins (default 800), clients (default 16).
 * The per-IP limits are raised for the run (all clients share 127.0.0.1).
 */
public final class AccountsBenchmark {

    private AccountsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int registrations = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        int logins = args.length > 1 ? Integer.parseInt(args[1]) : 800;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        hashCost();
        RunningServer server = new RunningServer("--chatapp.limits.registrations-per-ip=100000000",
                "--chatapp.limits.logins-per-ip=100000000", "--logging.level.root=WARN")
                .dataDir(Files.createTempDirectory("chatapp-bench").resolve("data"));
        server.start();
        try {
            String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            List<String> emails = new ArrayList<>();
            // warm-up: JIT, connection pools, SQLite pages; not measured
            run(clients, 64, i -> register(server, "warm-" + run + "-" + i, null));
            Histogram register = run(clients, registrations, i -> register(server, "b-" + run + "-" + i, emails));
            Histogram login = run(clients, logins, i -> {
                String email;
                synchronized (emails) {
                    email = emails.get(i % emails.size());
                }
                HttpResponse<String> r = server.post("/api/v1/auth/login",
                        "{\"email\":\"" + email + "\",\"password\":\"" + TestAccounts.PASSWORD + "\"}", null);
                check(r, 200);
            });
            System.out.printf("cores=%d clients=%d java=%s loadavg(1,5,15 min)=%s%n", Runtime.getRuntime().availableProcessors(),
                    clients, System.getProperty("java.version"), loadAverage());
            print("register", register);
            print("login", login);
        } finally {
            server.stop();
        }
    }

    /** One hash at a time, on one thread: what each algorithm costs before any contention. */
    private static void hashCost() {
        var argon2 = AccountConfiguration.passwordEncoder(); // the server's encoder: Argon2id by default
        var bcrypt12 = new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(
                org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder.BCryptVersion.$2B, 12);
        for (var entry : java.util.Map.of("argon2id m=19MiB t=2 p=1", (java.util.function.Supplier<String>)
                () -> argon2.encode(TestAccounts.PASSWORD), "bcrypt cost 12", () -> bcrypt12.encode(TestAccounts.PASSWORD)).entrySet()) {
            for (int i = 0; i < 5; i++) {
                entry.getValue().get(); // warm-up
            }
            Histogram h = new Histogram(3_600_000_000L, 3);
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                entry.getValue().get();
                h.recordValue((System.nanoTime() - t0) / 1_000);
            }
            System.out.printf("hash %-24s one thread: median=%.1f ms p99=%.1f ms%n", entry.getKey(),
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
        }
    }

    /** The machine's load while the benchmark ran (other processes compete for the same cores). */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void register(RunningServer server, String username, List<String> emails) {
        String email = username + "@example.org";
        HttpResponse<String> r = server.post("/api/v1/auth/register", "{\"username\":\"" + username + "\",\"email\":\""
                + email + "\",\"password\":\"" + TestAccounts.PASSWORD + "\",\"userType\":\"parent\",\"childrenCount\":1}", null);
        check(r, 201);
        if (emails != null) {
            synchronized (emails) {
                emails.add(email);
            }
        }
    }

    private static void check(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + r.statusCode() + ": " + r.body());
        }
    }

    interface Call {
        void run(int i) throws Exception;
    }

    /** Runs {@code total} calls on {@code clients} threads; latencies in microseconds. */
    private static Histogram run(int clients, int total, Call call) throws Exception {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        long t0 = System.nanoTime();
                        call.run(i);
                        long micros = (System.nanoTime() - t0) / 1_000;
                        synchronized (histogram) {
                            histogram.recordValue(micros);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        histogram.setEndTimeStamp((System.nanoTime() - start) / 1_000_000); // elapsed ms, for throughput
        return histogram;
    }

    private static void print(String name, Histogram h) {
        double seconds = h.getEndTimeStamp() / 1000.0;
        System.out.printf("%-8s n=%d median=%.1f ms p99=%.1f ms max=%.1f ms throughput=%.1f/s%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                h.getTotalCount() / seconds);
    }
}
