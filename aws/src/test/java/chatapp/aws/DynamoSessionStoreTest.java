package chatapp.aws;

import chatapp.account.SessionStore;
import chatapp.account.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoSessionStoreTest extends SessionStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected SessionStore store() {
        return new DynamoSessionStore(dynamo.client(), dynamo.settings());
    }
}
