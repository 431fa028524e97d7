package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.SearchContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Search on DynamoDB-on-moto (fresh tables per test): the conversations' key ranges, matched in Java. */
class DynamoSearchTest extends SearchContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @BeforeEach
    void freshTables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Override
    protected ChatStore store() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }
}
