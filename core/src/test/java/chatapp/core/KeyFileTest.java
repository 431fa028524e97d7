package chatapp.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

    @TempDir
    Path dir;

    @Test
    void madeOnceOwnerOnlyAndThenOnlyRead() throws IOException {
        Path file = dir.resolve("data/signing-key");
        assertThat(KeyFile.readOrCreate(file, () -> "first\n")).isEqualTo("first\n");
        assertThat(KeyFile.readOrCreate(file, () -> "second\n")).isEqualTo("first\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void aKeyWrittenMeanwhileByAnotherProcessIsNeverReplaced() throws IOException {
        Path file = dir.resolve("vapid-keys");
        // the other process writes its key between this one's check and its own write
        String read = KeyFile.readOrCreate(file, () -> {
            try {
                Files.writeString(file, "theirs\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return "mine\n";
        });
        assertThat(read).isEqualTo("theirs\n");
        assertThat(Files.readString(file)).isEqualTo("theirs\n");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(file);
        }
    }
}
