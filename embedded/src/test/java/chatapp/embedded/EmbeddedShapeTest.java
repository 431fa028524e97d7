package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.realtime.Ticket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedShapeTest {

    @TempDir
    Path tmp;

    @Test
    void everyStoreIsOnTheOneDatabaseUnderTheDataDirectoryWhichOneProcessHolds() {
        Path dir = tmp.resolve("data");
        Instant later = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        try (EmbeddedShape shape = EmbeddedShape.open(dir, true, Clock.systemUTC())) {
            assertThat(shape.store()).isEqualTo("sqlite");
            shape.check();
            shape.tickets().put(new Ticket("hash-1", "user-1", later));
            assertThatThrownBy(() -> EmbeddedShape.open(dir, true, Clock.systemUTC()))
                    .isInstanceOf(DataDirectoryException.class);
        }
        EmbeddedShape again = EmbeddedShape.open(dir, false, Clock.systemUTC());
        assertThat(again.tickets().take("hash-1")).as("kept across a restart")
                .contains(new Ticket("hash-1", "user-1", later));
        again.close();
        assertThatThrownBy(again::check).as("a closed store is not ready").isInstanceOf(RuntimeException.class);
    }

    @Test
    void mediaFilesLiveUnderTheDataDirectoryWithoutADatabase() throws Exception {
        Path dir = tmp.resolve("data");
        Path photo = Files.writeString(tmp.resolve("photo"), "bytes");
        var files = EmbeddedShape.mediaFiles(dir, new byte[32], Clock.systemUTC());
        files.put("m1/original", photo, "image/jpeg");
        assertThat(dir.resolve("media")).isDirectory();
        assertThat(dir.resolve("chatapp.db")).doesNotExist();
        assertThat(files.url("m1/original", "image/jpeg", "p.jpg", Duration.ofMinutes(1)).getPath())
                .startsWith("/api/v1/media/files/m1/original");
    }
}
