package chatapp.embedded;

import chatapp.account.UserStore;
import chatapp.account.UserStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteUserStoreTest extends UserStoreContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected UserStore store() {
        return new SqliteUserStore(sqlite.database());
    }
}
