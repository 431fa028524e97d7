package chatapp.embedded;

import chatapp.account.ProfileContract;
import chatapp.account.UserStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteProfileTest extends ProfileContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected UserStore store() {
        return new SqliteUserStore(sqlite.database());
    }
}
