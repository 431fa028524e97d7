package chatapp.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * One moto server per test JVM, on a free loopback port, answering one request at a time
 * (see {@code moto_server.py}). It runs from the project's Python venv ({@code .venv} at the
 * repository root, or {@code CHATAPP_MOTO_PYTHON}); if the venv is missing it is created with
 * {@code python3 -m venv} and {@code pip install -r scripts/test-requirements.txt} (the file
 * {@code .ci/run} installs too). If that is impossible the test
 * fails with the reason: tests that need moto never skip.
 */
public final class MotoServer {

    /** Tests and the app under test must use the same region: moto keeps data per region. */
    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static MotoServer instance;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The JVM's moto server, started on first use. */
    public static synchronized MotoServer get() {
        if (instance == null || !instance.process.isAlive()) {
            instance = start();
        }
        return instance;
    }

    /** {@code http://127.0.0.1:PORT} */
    public URI endpoint() {
        return endpoint;
    }

    /** Settings that point the DynamoDB adapter at this server. */
    public DynamoSettings dynamoSettings(String tablePrefix) {
        return new DynamoSettings(REGION, endpoint, tablePrefix, CREDENTIALS);
    }

    /** Forgets every table, item and bucket (moto's reset API; well under a second). */
    public void reset() {
        try {
            // a bound, so that a moto that cannot answer fails the test instead of hanging the run
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MotoServer start() {
        Path python = python();
        try {
            Path script = Files.createTempFile("chatapp-moto", ".py");
            try (InputStream in = MotoServer.class.getResourceAsStream("moto_server.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            script.toFile().deleteOnExit();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path logFile = Path.of("target", "moto-" + port + ".log").toAbsolutePath();
            Files.createDirectories(logFile.getParent());
            Process p = new ProcessBuilder(python.toString(), script.toString(), Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitUp(endpoint, p, logFile);
            return new MotoServer(endpoint, p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto with " + python + ": " + e.getMessage(), e);
        }
    }

    private static void awaitUp(URI endpoint, Process p, Path logFile) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto exited with " + p.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto did not answer within 60 s; see " + logFile);
    }

    /**
     * The venv's python, creating the venv (under a file lock) if it is missing. Other Python
     * tools of {@code scripts/test-requirements.txt} (cfn-lint) are beside it.
     */
    public static synchronized Path python() {
        String configured = System.getenv("CHATAPP_MOTO_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = repositoryRoot();
        Path venv = root.resolve(".venv");
        Path python = venv.resolve("bin/python");
        try (FileChannel ch = FileChannel.open(root.resolve(".venv.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (!hasMoto(python)) {
                run(List.of("python3", "-m", "venv", venv.toString()), "create the Python venv " + venv);
                Path requirements = root.resolve("scripts/test-requirements.txt");
                run(List.of(python.toString(), "-m", "pip", "install", "--quiet", "-r", requirements.toString()),
                        "install " + requirements + " into " + venv);
                if (!hasMoto(python)) {
                    throw new IllegalStateException("moto is still not importable from " + python);
                }
            }
            return python;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the moto venv at " + venv + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasMoto(Path python) {
        if (!Files.isExecutable(python)) {
            return false;
        }
        try {
            // schemathesis too (server's OpenApiContractTest): a venv made before it was added gets it
            Process p = new ProcessBuilder(python.toString(), "-c", "import moto.moto_server.werkzeug_app, schemathesis")
                    .redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStreamSink.INSTANCE);
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("could not " + what + " (moto is required for the AWS adapter tests): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not " + what + " (is python3 installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The checkout's root: the nearest directory upwards that holds {@code mvnw}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new IllegalStateException("no mvnw above " + dir + "; run the tests from the checkout");
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discard
        }
    }
}
