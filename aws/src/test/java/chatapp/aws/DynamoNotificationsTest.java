package chatapp.aws;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.notification.NotificationStore;
import chatapp.notification.NotificationsContract;
import chatapp.realtime.ConnectionStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Web Push and away messages set off by stored messages, on DynamoDB (moto), as the Lambda runs
 * them. Every test makes users of its own, so the class shares one set of fresh tables.
 */
class DynamoNotificationsTest extends NotificationsContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected ChatStore chatStore() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected ConnectionStore connectionStore() {
        return new DynamoConnectionStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected NotificationStore notificationStore() {
        return new DynamoNotificationStore(dynamo.client(), dynamo.settings());
    }
}
