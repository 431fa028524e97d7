package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.ChatStoreContract;
import chatapp.chat.Message;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chat contract on DynamoDB-on-moto. moto copies a table on every transaction, so each
 * test gets fresh, small tables (docs/architecture.md, "Tests"); bulk data is seeded with BatchWriteItem.
 */
class DynamoChatStoreTest extends ChatStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private DynamoChatStore store;

    @BeforeEach
    void freshTables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Override
    protected ChatStore store() {
        if (store == null) {
            store = new DynamoChatStore(dynamo.client(), dynamo.settings());
        }
        return store;
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected void importMessages(List<Message> messages) {
        store.importMessages(messages);
    }

    @Override
    protected int concurrentMessages() {
        return 48; // moto answers one request at a time, ~25 transactions a second
    }
}
