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
 */
class TrainingTest {

    @TempDir
    Path tmp;

    @Test
    void theTrainingRunUsesAThrowawayServerAndRemovesItsData() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Path userData = tmp.resolve("user-data");
        List<String> command = new ArrayList<>(ChildJvm.java());
        command.addAll(List.of("-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"),
                ChatApp.class.getName(), "train"));
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
        assertThat(out).contains("chatapp: training run done in").contains(Training.SOCKET_SENDS + " socket sends");
        assertThat(userData).as("the configured data directory is not touched").doesNotExist();
        try (var left = Files.list(temp)) {
            assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("chatapp-training")).toList())
                    .as("the throwaway data directory is removed").isEqualTo(List.of());
        }
    }
}
