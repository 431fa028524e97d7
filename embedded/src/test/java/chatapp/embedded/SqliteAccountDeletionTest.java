package chatapp.embedded;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.userdata.AccountDeletionContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Account deletion on a real SQLite file and media on disk. */
class SqliteAccountDeletionTest extends AccountDeletionContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    private final MediaFiles files;

    SqliteAccountDeletionTest() {
        try {
            files = new DiskMediaFiles(Files.createTempDirectory("chatapp-deletion-media"),
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
    protected SessionStore sessionStore() {
        return new SqliteSessionStore(sqlite.database());
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
