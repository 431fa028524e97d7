package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.launcher.Launcher;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar chatapp-exec.jar serve} with an AOT cache beside the jar ({@link Launcher}, the
 * jar's Main-Class at its root):
 * the server runs in a child JVM that uses the cache, SIGTERM to the launcher stops the child
 * gracefully and the launcher exits with the child's status, and a launcher killed with SIGKILL
 * does not leave the child holding the port (it ends within a second). The cache here is made by a short run ({@code help})
 * on the extracted copy, as {@code ./chatapp} makes its own by a training run: the launcher's
 * choice and the JVM's acceptance of the cache are the same. Runs after {@code package} (failsafe).
 */
class LauncherIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);

    @TempDir
    static Path install;

    private static Path jar;

    @BeforeAll
    static void jarWithItsCache() throws Exception {
        Path built = Path.of("target", "chatapp-exec.jar");
        assertThat(built).as("the packaged jar (./mvnw package -pl server)").isRegularFile();
        jar = install.resolve("chatapp-exec.jar");
        Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
        Path aot = install.resolve("aot");
        run(List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", aot.toString()));
        List<String> training = new ArrayList<>(List.of(java()));
        training.addAll(Launcher.TRAINING_OPTIONS);
        training.addAll(List.of("-XX:AOTCacheOutput=" + aot.resolve("chatapp.aot"), "-jar",
                aot.resolve("chatapp-exec.jar").toString(), "help"));
        run(training);
        assertThat(aot.resolve("chatapp.aot")).isRegularFile();
    }

    @Test
    void sigtermToTheLauncherStopsTheServerItStartedWithTheCacheAndReturnsItsStatus() throws Exception {
        Server server = Server.start(install.resolve("data1"));
        try {
            server.awaitReady();
            ProcessHandle child = server.child();
            assertThat(child.info().arguments().map(List::of).orElseThrow())
                    .contains("-XX:AOTCache=" + install.resolve("aot").resolve("chatapp.aot").toAbsolutePath())
                    .contains(install.resolve("aot").resolve("chatapp-exec.jar").toAbsolutePath().toString())
                    .as("the JIT options of a cached start (decision 76)").containsAll(Launcher.CACHED_START_OPTIONS);
            assertThat(server.log()).as("the JVM took the cache").doesNotContain("[aot]");
            server.process.destroy(); // SIGTERM
            assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process.exitValue()).as("the child's status after SIGTERM").isEqualTo(143);
            assertThat(child.isAlive()).isFalse();
            assertThat(server.log()).contains("Started ChatApp");
        } finally {
            server.close();
        }
    }

    @Test
    void aLauncherKilledWithSigkillTakesTheServerWithIt() throws Exception {
        Server server = Server.start(install.resolve("data2"));
        try {
            server.awaitReady();
            ProcessHandle child = server.child();
            server.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
            assertThat(server.log()).contains("chatapp: the launcher process " + server.process.pid() + " is gone; stopping");
        } finally {
            server.close();
        }
    }

    /**
     * {@code CHATAPP_AOT=off}; or a collector of the caller's own, which the child JVM would be
     * given beside the training run's and refuse to start with (any option the two JVMs cannot
     * share keeps the server in the first one).
     */
    @ParameterizedTest
    @CsvSource({"CHATAPP_AOT, off, data3", "JDK_JAVA_OPTIONS, -XX:+UseSerialGC, data4"})
    void theServerRunsInTheJvmStartedByJavaJar(String variable, String value, String data) throws Exception {
        Server server = Server.start(install.resolve(data), variable, value);
        try {
            server.awaitReady();
            assertThat(server.process.children().toList()).as("no child JVM").isEmpty();
            assertThat(server.log()).contains("with PID " + server.process.pid() + " ");
        } finally {
            server.close();
        }
    }

    /**
     * The fat jar starts at the launcher, read from its root by the JVM's own loader (compiled for
     * Java 17, so that an older {@code java} gets the launcher's one line), and keeps ChatApp as
     * Spring Boot's Start-Class; the extracted copy (what ./chatapp and the cache's training run
     * start) starts ChatApp itself. (The commands the launcher hands to Spring Boot's JarLauncher:
     * {@link #otherCommandsStillAnswer}, {@code extract} in {@link #jarWithItsCache}, and the
     * server in the launcher's own JVM, {@link #theServerRunsInTheJvmStartedByJavaJar}.)
     */
    @Test
    void theJarStartsAtItsRootLauncherAndSpringBootRunsTheRest() throws Exception {
        try (JarFile fat = new JarFile(jar.toFile())) {
            Attributes manifest = fat.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo(Launcher.class.getName());
            assertThat(manifest.getValue("Start-Class")).isEqualTo(ChatApp.class.getName());
            try (DataInputStream launcher = new DataInputStream(
                    fat.getInputStream(fat.getEntry("chatapp/launcher/Launcher.class")))) {
                assertThat(launcher.readInt()).isEqualTo(0xCAFEBABE);
                launcher.readUnsignedShort();
                assertThat(launcher.readUnsignedShort()).as("class file version (61: Java 17)").isEqualTo(61);
            }
            assertThat(fat.getEntry("org/springframework/boot/loader/launch/JarLauncher.class")).isNotNull();
        }
        try (JarFile extracted = new JarFile(install.resolve("aot").resolve("chatapp-exec.jar").toFile())) {
            assertThat(extracted.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
                    .isEqualTo(ChatApp.class.getName());
            assertThat(extracted.getEntry("chatapp/launcher/Launcher.class")).isNull();
        }
    }

    @Test
    void otherCommandsStillAnswer() throws Exception {
        Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("usage: chatapp");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s:%n%s", command, out).isZero();
    }

    private record Server(Process process, Path dir, URI base) implements AutoCloseable {

        static Server start(Path dir, String... environment) throws IOException {
            Files.createDirectories(dir);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar.toString(), "serve")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("CHATAPP_") || k.startsWith("LOGGING_"));
            builder.environment().put("CHATAPP_PORT", Integer.toString(port));
            builder.environment().put("CHATAPP_DATA_DIR", dir.resolve("data").toString());
            for (int i = 0; i < environment.length; i += 2) {
                builder.environment().put(environment[i], environment[i + 1]);
            }
            return new Server(builder.start(), dir, URI.create("http://127.0.0.1:" + port));
        }

        ProcessHandle child() {
            List<ProcessHandle> children = process.children().toList();
            assertThat(children).as("the server JVM the launcher started").hasSize(1);
            return children.get(0);
        }

        String log() throws IOException {
            return Files.readString(dir.resolve("server.log"));
        }

        void awaitReady() throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the launcher exited; its log:\n%s", log()).isTrue();
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError("not ready within " + READY_TIMEOUT.toSeconds() + " s; log:\n" + log());
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
