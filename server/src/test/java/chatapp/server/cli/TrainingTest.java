package chatapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chatapp train}, the training run of the AOT cache that {@code ./chatapp} makes after a
 * build: it drives a server of its own through the send path, touches none of the user's data
 * (not the configured data directory, not a configured DynamoDB) and leaves nothing behind.
 * Every step of the run with a 25th of its sends ({@link Training#DIVISOR}; each pair's two
 * users still send turn about, 200 over their sockets and 120 over REST, far over the message
 * limits that the run lifts for its throwaway server): this JVM runs C1 only and records no cache,
 * so the volume that brings the send path to C2 would teach nothing here
 * (docs/decisions/0074-suite-time-2.md).
 */
class TrainingTest {

    private static final int DIVISOR = 25;

    @TempDir
    Path tmp;

    @Test
    void theTrainingRunUsesAThrowawayServerAndRemovesItsData() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Path userData = tmp.resolve("user-data");
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-Djava.io.tmpdir=" + temp, "-D" + Training.DIVISOR + "=" + DIVISOR, "-cp",
                System.getProperty("java.class.path"), ChatApp.class.getName(), "train"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        // what an operator's environment may name: none of it is used by the training run
        builder.environment().put("CHATAPP_DATA_DIR", userData.toString());
        builder.environment().put("CHATAPP_STORE", "dynamodb");
        builder.environment().put("CHATAPP_DYNAMODB_ENDPOINT", "http://127.0.0.1:9");
        builder.environment().put("CHATAPP_PORT", "9");
        Process p = builder.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chatapp train did not end within 300 s");
        }
        String out = Files.readString(tmp.resolve("out.txt"));

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("chatapp: training run done in").contains("(" + Training.PAIRS + " pairs, "
                + Training.SOCKET_SENDS / DIVISOR + " socket sends, " + Training.REST_SENDS / DIVISOR + " REST sends)");
        assertThat(userData).as("the configured data directory is not touched").doesNotExist();
        try (var left = Files.list(temp)) {
            assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("chatapp-training")).toList())
                    .as("the throwaway data directory is removed").isEqualTo(List.of());
        }
    }
}
