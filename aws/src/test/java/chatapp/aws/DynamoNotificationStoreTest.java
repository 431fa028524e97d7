package chatapp.aws;

import chatapp.notification.NotificationStore;
import chatapp.notification.NotificationStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notification preferences, push subscriptions and away notices on DynamoDB-on-moto. */
class DynamoNotificationStoreTest extends NotificationStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @BeforeAll
    static void tables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Override
    protected NotificationStore store() {
        return new DynamoNotificationStore(dynamo.client(), dynamo.settings());
    }
}
