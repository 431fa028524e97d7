package chatapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code supervisord} running {@code deploy/supervisor/chatapp.conf} on this machine:
 * the program as shipped, with only its paths (environment file, JDK, jar, directories) moved
 * into a temporary directory and {@code user=} dropped, and the environment file
 * {@code deploy/chatapp.env} with its placeholders filled in for this machine.
 */
final class SupervisedServer implements AutoCloseable {

    /**
     * The server's readiness probe, which {@link #awaitReady} polls on the real server and the
     * template's load balancer checks (TemplateTest): 200 UP once every table exists and answers.
     */
    static final String READINESS = "/actuator/health/readiness";

    private final Path dir;
    private final int port;
    private final Process supervisord;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SupervisedServer(Path dir, int port, Process supervisord) {
        this.dir = dir;
        this.port = port;
        this.supervisord = supervisord;
    }

    /** The shipped environment file as KEY to value, in file order. */
    static Map<String, String> shippedEnvironment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Checkout.deploy("chatapp.env"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("KEY=value: " + line).isPositive();
            env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    /**
     * Starts supervisord with the program and {@code environment} written as its environment
     * file; returns once supervisord runs (not once the server is ready).
     */
    static SupervisedServer start(Path dir, int port, Map<String, String> environment) throws IOException {
        StringBuilder envFile = new StringBuilder();
        environment.forEach((k, v) -> {
            assertThat(v).as(k + " has no placeholder left").doesNotContain("<");
            envFile.append(k).append('=').append(v).append('\n');
        });
        Path envPath = dir.resolve("chatapp.env");
        Files.writeString(envPath, envFile);
        Path work = Files.createDirectories(dir.resolve("work"));

        String program = Files.readString(Checkout.deploy("supervisor/chatapp.conf"));
        program = replaceOnce(program, "/etc/chatapp/chatapp.env", envPath.toString());
        program = replaceOnce(program, "exec /usr/bin/java ", "exec " + Checkout.java() + " ");
        program = replaceOnce(program, "/opt/chatapp/chatapp-exec.jar", Checkout.serverJar().toString());
        program = replaceOnce(program, "directory=/var/lib/chatapp", "directory=" + work);
        program = replaceOnce(program, "/var/log/chatapp/server.log", dir.resolve("server.log").toString());
        // The tests may run as root, and there is no chatapp user here.
        program = replaceOnce(program, "user=chatapp\n", "");
        Files.writeString(dir.resolve("program.conf"), program);

        Files.writeString(dir.resolve("supervisord.conf"), """
                [supervisord]
                nodaemon=true
                logfile=%1$s/supervisord.log
                pidfile=%1$s/supervisord.pid
                childlogdir=%1$s

                [include]
                files = %1$s/program.conf
                """.formatted(dir));
        Path supervisordBin = Checkout.program("supervisord", "supervisor");
        Process p = new ProcessBuilder(supervisordBin.toString(), "-n", "-c", dir.resolve("supervisord.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("supervisord.out").toFile()).start();
        return new SupervisedServer(dir, port, p);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until readiness answers 200 UP. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertThat(supervisord.isAlive()).as("supervisord is running; " + logs()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(READINESS))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within " + timeout + " (last: " + last + "); " + logs());
    }

    /** The JVM supervisord runs (its direct child: /bin/sh exec's java). */
    Optional<ProcessHandle> server() {
        return supervisord.toHandle().children()
                .filter(h -> h.isAlive() && h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    /** Sends SIGKILL with {@code kill -9}, as an operator or the OOM killer would, and waits for the death. */
    void kill9(ProcessHandle server) throws Exception {
        Checkout.Result r = Checkout.run(List.of("kill", "-9", Long.toString(server.pid())), Map.of(), 10);
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(server.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    String supervisordLog() throws IOException {
        Path log = dir.resolve("supervisord.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("supervisord.out", "supervisord.log", "server.log")) {
            Path f = dir.resolve(name);
            try {
                if (Files.exists(f)) {
                    String text = Files.readString(f);
                    b.append("\n--- ").append(name).append(" (tail) ---\n")
                            .append(text.substring(Math.max(0, text.length() - 4000)));
                }
            } catch (IOException e) {
                b.append("\n(cannot read ").append(f).append(')');
            }
        }
        return b.toString();
    }

    /** Stops supervisord (which stops the program) and kills anything left over. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> left = supervisord.toHandle().descendants().toList();
        supervisord.destroy();
        if (!supervisord.waitFor(60, TimeUnit.SECONDS)) {
            supervisord.destroyForcibly();
        }
        left.forEach(ProcessHandle::destroyForcibly);
    }

    private static String replaceOnce(String text, String from, String to) {
        int first = text.indexOf(from);
        assertThat(first).as("the program contains '" + from.strip() + "'").isNotNegative();
        assertThat(text.indexOf(from, first + 1)).as("'" + from.strip() + "' appears once").isNegative();
        return text.replace(from, to);
    }
}
