package chatapp.embedded.media;

import chatapp.embedded.SqliteFixture;
import chatapp.media.MediaStore;
import chatapp.media.MediaStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MediaStoreContract} on a real SQLite file. */
class SqliteMediaStoreTest extends MediaStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected MediaStore store() {
        return new SqliteMediaStore(sqlite.database());
    }
}
