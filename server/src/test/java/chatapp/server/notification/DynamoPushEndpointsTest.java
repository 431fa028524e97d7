package chatapp.server.notification;

import chatapp.aws.DynamoFixture;
import chatapp.notification.VapidKeyPair;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import com.interaso.webpush.VapidKeys;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Notifications over REST on DynamoDB (moto), with VAPID keys from the configuration (the AWS shape). */
class DynamoPushEndpointsTest extends PushEndpointsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server("--chatapp.push.allow-http-endpoints=true", "--chatapp.push.allow-private-endpoints=true",
            "--chatapp.push.vapid-keys=" + VapidKeyPair.format(VapidKeys.generate()).strip().replace('\n', ','));

    @Override
    RunningServer server() {
        return server;
    }
}
