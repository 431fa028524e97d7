package chatapp.embedded;

import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteRateLimitStoreTest extends RateLimiterContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected RateLimitStore store() {
        return new SqliteRateLimitStore(sqlite.database());
    }
}
