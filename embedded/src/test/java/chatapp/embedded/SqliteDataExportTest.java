package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.userdata.DataExportContract;
import chatapp.userdata.ExportStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Data export on a real SQLite file and media (and archives) on disk. */
class SqliteDataExportTest extends DataExportContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    private final MediaFiles files;

    SqliteDataExportTest() {
        try {
            files = new DiskMediaFiles(Files.createTempDirectory("chatapp-export-media"),
                    "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected UserStore users() {
        return new SqliteUserStore(sqlite.database());
    }

    @Override
    protected ExportStore exports() {
        return new SqliteExportStore(sqlite.database());
    }

    @Override
    protected ChatStore chats() {
        return new SqliteChatStore(sqlite.database());
    }

    @Override
    protected MediaStore media() {
        return new SqliteMediaStore(sqlite.database());
    }

    @Override
    protected MediaFiles files() {
        return files;
    }

    @Override
    protected RateLimitStore rateLimits() {
        return new SqliteRateLimitStore(sqlite.database());
    }
}
