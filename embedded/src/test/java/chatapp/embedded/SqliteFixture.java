package chatapp.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh SQLite database in a new data directory (a real file, WAL mode,
 * migrated), closed and deleted after the class. Register it as a static
 * {@code @RegisterExtension} field and use {@link #database()}.
 */
public final class SqliteFixture implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private SqliteDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("chatapp-sqlite-test");
        database = SqliteDatabase.open(dir.resolve("data"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    public SqliteDatabase database() {
        return database;
    }
}
