package chatapp.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ChatApp server the tool runs as a child process: {@code java -jar chatapp-exec.jar serve} on a
 * free port with its own data directory, output appended to a log file. It can be killed with
 * SIGKILL and started again on the same port and data directory (crash mode), and its memory read
 * from {@code /proc/<pid>/status} and {@code jcmd}.
 */
final class ChildServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Path jar;
    private final Path dataDir;
    private final List<String> jvmOptions;
    private final List<String> serverArgs;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process process;
    private double cpuOfKilled;

    private ChildServer(Path jar, Path dataDir, List<String> jvmOptions, List<String> serverArgs, Path log, int port) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.jvmOptions = jvmOptions;
        this.serverArgs = serverArgs;
        // the tool stopped by Ctrl-C or SIGTERM leaves no server behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = process;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }, "stop the started server"));
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the server and waits until {@code /actuator/health/readiness} answers 200.
     *
     * @throws IllegalStateException if the jar is missing, or the server exits or is not ready in 180 s
     *     (the message ends with the last lines of its log)
     */
    static ChildServer start(Path jar, Path dataDir, List<String> jvmOptions, Path log) throws IOException, InterruptedException {
        return start(jar, dataDir, jvmOptions, List.of(), log);
    }

    /**
     * As {@link #start(Path, Path, List, Path)}, with further {@code --chatapp.*} settings for the
     * server (e.g. its WebSocket flood limits, {@link Options#serverLimits()}).
     */
    static ChildServer start(Path jar, Path dataDir, List<String> jvmOptions, List<String> serverArgs, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
                    + " (./chatapp bench builds it first; or pass --server-jar)");
        }
        Files.createDirectories(log.getParent());
        ChildServer server = new ChildServer(jar, dataDir, List.copyOf(jvmOptions), List.copyOf(serverArgs), log, freePort());
        server.start();
        return server;
    }

    /**
     * The limits per account raised far above what the tool asks for (docs/load-tool.md): it
     * measures the server, not its rate limits, and one simulated user may send faster than a
     * person is allowed to.
     */
    static final List<String> RAISED_ACCOUNT_LIMITS = List.of("--chatapp.limits.messages-per-minute=100000000",
            "--chatapp.limits.message-burst=100000000", "--chatapp.limits.tickets-per-minute=1000000",
            "--chatapp.limits.uploads-per-hour=1000000", "--chatapp.limits.upload-bytes-per-day=1TB");

    /** Starts (again) on the same port and data directory, and waits until ready. */
    void start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--chatapp.port=" + port,
                "--chatapp.data-dir=" + dataDir.toAbsolutePath(),
                // the tool signs up and in thousands of users from one address
                "--chatapp.limits.logins-per-ip=1000000", "--chatapp.limits.registrations-per-ip=1000000"));
        command.addAll(RAISED_ACCOUNT_LIMITS);
        command.addAll(serverArgs);
        process = oneJvm(new ProcessBuilder(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitReady();
    }

    /**
     * The server in the JVM the tool starts, never in a second one: without {@code CHATAPP_AOT=off}
     * the jar's launcher would run it in a child JVM when a JDK cache exists (docs/decisions/0060-launcher.md), and the
     * tool's CPU figures, memory readings and kills would reach the launcher instead. The JDK cache
     * is the tool's choice, through the JVM options it is given ({@code ./chatapp bench} gives it).
     */
    static ProcessBuilder oneJvm(ProcessBuilder builder) {
        builder.environment().put("CHATAPP_AOT", "off");
        return builder;
    }

    /** Kills the process with SIGKILL (no shutdown hooks, no graceful close) and waits for it to die. */
    void kill() throws InterruptedException {
        double used = currentCpuSeconds();
        process.destroyForcibly();
        process.waitFor();
        if (Double.isFinite(used)) {
            cpuOfKilled += used;
        }
    }

    /** The base URI, {@code http://127.0.0.1:<port>}. */
    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Resident memory (VmRSS) of the server process in bytes. */
    long residentBytes() throws IOException {
        return statusField("VmRSS:") * 1024;
    }

    /** Threads of the server process. */
    long threads() throws IOException {
        return statusField("Threads:");
    }

    /** CPU time (user + system) the server has used so far, in seconds, killed processes included. */
    double cpuSeconds() {
        return cpuOfKilled + currentCpuSeconds();
    }

    private double currentCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Bytes of live objects on the server's heap, after the full collection that
     * {@code jcmd <pid> GC.class_histogram} runs first.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        String out = jcmd("GC.class_histogram");
        Matcher m = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total: " + out.lines().limit(3).toList());
        }
        return Long.parseLong(m.group(2));
    }

    /**
     * Runs {@code jcmd <pid> <command...>} (e.g. {@code JFR.start}) and returns its output.
     *
     * @throws IllegalStateException if jcmd fails
     */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid()));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no " + name + " in /proc/" + pid() + "/status");
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base().resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue() + ": " + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server was not ready within " + READY_TIMEOUT.toSeconds() + " s: " + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return "log " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Stops the server gracefully (SIGTERM), forcibly after 30 s. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
