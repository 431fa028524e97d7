package chatapp.aws;

import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiterContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoRateLimitStoreTest extends RateLimiterContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected RateLimitStore store() {
        return new DynamoRateLimitStore(dynamo.client(), dynamo.settings());
    }
}
