package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway runs on open only when the database is not at the newest migration (a restart skips it). */
class SqliteMigrationsTest {

    @TempDir
    Path tmp;

    @Test
    void theSchemaVersionIsTheNewestMigrationFile() throws IOException, URISyntaxException {
        Path migrations = Path.of(SqliteDatabase.class.getResource("/db/migration/sqlite").toURI());
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        int newest;
        try (Stream<Path> files = Files.list(migrations)) {
            newest = files.map(f -> versioned.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElseThrow();
        }
        assertThat(SqliteDatabase.SCHEMA_VERSION).as("raise SqliteDatabase.SCHEMA_VERSION with a new migration")
                .isEqualTo(newest);
        Path dir = tmp.resolve("data");
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            assertThat(newestApplied(db)).isEqualTo(newest);
        }
    }

    private static int newestApplied(SqliteDatabase db) {
        return db.read(h -> h.createQuery("select max(cast(version as integer)) from flyway_schema_history")
                .mapTo(Integer.class).one());
    }

    @Test
    void anOlderDatabaseIsMigratedToTheNewest() {
        Path dir = tmp.resolve("data");
        String url = "jdbc:sqlite:" + dir.toAbsolutePath().resolve("chatapp.db");
        dir.toFile().mkdirs();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                .target(String.valueOf(SqliteDatabase.SCHEMA_VERSION - 1)).load().migrate();
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            assertThat(newestApplied(db)).isEqualTo(SqliteDatabase.SCHEMA_VERSION);
        }
    }

    @Test
    void aCurrentDatabaseOpensWithoutFlywayAndAFailedMigrationStillGoesToIt() {
        Path dir = tmp.resolve("data");
        SqliteDatabase.open(dir).close();
        // A current database: Flyway would refuse this changed checksum; the restart does not ask it.
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.write(h -> h.execute("update flyway_schema_history set checksum = 1 where version = '1'"));
        }
        SqliteDatabase.open(dir).close();
        // A history that records a failed migration is Flyway's to report, as before.
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.write(h -> h.execute("update flyway_schema_history set success = 0 where version = ?",
                    String.valueOf(SqliteDatabase.SCHEMA_VERSION)));
        }
        assertThatThrownBy(() -> SqliteDatabase.open(dir)).hasMessageContaining("failed migration");
    }
}
