package chatapp.apigatewaylocal;

import chatapp.server.ChildJvm;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A ChatApp server in its own JVM, as on one EC2 instance: {@code java -jar chatapp-exec.jar serve}
 * (the jar the {@code server} module builds, system property {@code chatapp.serverJar}) on a free
 * port with its own data directory, configured by environment variables as deploy/chatapp.env
 * does; output to a log file whose last lines any failure shows.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    private final URI base;

    private ServerProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    /**
     * Starts the server (without waiting for it; see {@link #awaitReady()}).
     *
     * @param environment {@code CHATAPP_*} and {@code AWS_*} settings; the port and data directory are added
     */
    static ServerProcess start(String name, Map<String, String> environment) throws IOException {
        Path jar = Path.of(System.getProperty("chatapp.serverJar", "../server/target/chatapp-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no server jar at " + jar.toAbsolutePath() + " (./mvnw package -pl server)");
        }
        Path dir = Files.createTempDirectory("chatapp-" + name);
        int port = freePort();
        // the JIT's first tier only (docs/decisions/0071-test-suite-time.md)
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().putAll(environment);
        builder.environment().put("CHATAPP_PORT", Integer.toString(port));
        builder.environment().put("CHATAPP_DATA_DIR", dir.resolve("data").toString());
        return new ServerProcess(builder.start(), dir.resolve("server.log"), URI.create("http://127.0.0.1:" + port));
    }

    /** Waits until {@code /actuator/health/readiness} answers 200; fails with the log's tail otherwise. */
    void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue() + "; " + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready within " + READY_TIMEOUT.toSeconds() + " s; " + tail());
    }

    /** {@code http://127.0.0.1:<port>} resolved against {@code path}. */
    URI uri(String path) {
        return base.resolve(path);
    }

    /** The last lines of the server's output, for failure messages. */
    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return "log " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops the server gracefully (SIGTERM), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
