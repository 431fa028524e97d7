package chatapp.aws;

import chatapp.account.ProfileContract;
import chatapp.account.UserStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoProfileTest extends ProfileContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected UserStore store() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }
}
