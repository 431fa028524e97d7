package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.MessageLifecycleContract;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivered, edit, delete for everyone and reply on a real SQLite file and media on disk. */
class SqliteMessageLifecycleTest extends MessageLifecycleContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    private final MediaFiles files;

    SqliteMessageLifecycleTest() {
        try {
            files = new DiskMediaFiles(Files.createTempDirectory("chatapp-lifecycle-media"),
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected ChatStore store() {
        return new SqliteChatStore(sqlite.database());
    }

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }

    @Override
    protected MediaStore media() {
        return new SqliteMediaStore(sqlite.database());
    }

    @Override
    protected MediaFiles files() {
        return files;
    }
}
