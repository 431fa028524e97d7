package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.account.UserStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoUserStoreTest extends UserStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected UserStore store() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }
}
