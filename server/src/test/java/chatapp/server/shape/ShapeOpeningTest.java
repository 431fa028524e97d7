package chatapp.server.shape;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.notification.VapidKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store and, on a fresh data directory, the Web Push keys made while Spring starts. */
class ShapeOpeningTest {

    @TempDir
    Path tmp;

    @Test
    void aFreshDataDirectoryGetsItsPushKeysOnceAndTheStoreIsTakenOpen() throws Exception {
        Path dir = tmp.resolve("data").toAbsolutePath();
        ShapeOpening opening = ShapeOpening.start(dir, true, true);
        opening.awaitPushKeys(dir);
        Path keys = dir.resolve(VapidKeyPair.FILE);
        assertThat(keys).exists();
        String made = Files.readString(keys);
        // the bean then reads this pair rather than making another
        assertThat(VapidKeyPair.format(VapidKeyPair.fromDataDir(dir))).isEqualTo(made);
        try (var shape = opening.take(dir, true, Clock.systemUTC())) {
            assertThat(shape).isNotNull();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void keysAlreadyThereOrConfiguredAreLeftAlone() throws Exception {
        Path dir = tmp.resolve("data").toAbsolutePath();
        String existing = VapidKeyPair.format(VapidKeyPair.fromDataDir(dir));
        ShapeOpening opening = ShapeOpening.start(dir, true, true);
        opening.awaitPushKeys(dir);
        assertThat(Files.readString(dir.resolve(VapidKeyPair.FILE))).isEqualTo(existing);
        opening.closeUnclaimed();

        Path other = tmp.resolve("other").toAbsolutePath();
        ShapeOpening configured = ShapeOpening.start(other, true, false);
        configured.awaitPushKeys(other);
        assertThat(other.resolve(VapidKeyPair.FILE)).doesNotExist();
        configured.closeUnclaimed();
    }
}
