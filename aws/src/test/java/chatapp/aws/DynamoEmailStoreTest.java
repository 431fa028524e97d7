package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.notification.EmailStoreContract;
import chatapp.notification.ReminderQueue;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoEmailStoreTest extends EmailStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected ReminderQueue reminders() {
        return new DynamoReminderQueue(dynamo.client(), dynamo.settings(), r -> { });
    }

    @Override
    protected chatapp.chat.ChatStore chats() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }
}
