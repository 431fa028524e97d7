package chatapp.server.notification;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import com.icegreen.greenmail.util.GreenMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email on the AWS shape: DynamoDB on moto. */
class DynamoEmailEndpointsTest extends EmailEndpointsTest {

    static final GreenMail mail = startMail();

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server(emailArgs(mail));

    @AfterAll
    static void stopMail() {
        mail.stop();
    }

    @Override
    RunningServer server() {
        return server;
    }

    /** The pending item in the auth table ({@code aws.AuthItems}, "unread-message reminders"). */
    @Override
    java.util.Optional<chatapp.notification.Reminder> pending(String userId, String conversationId) {
        var item = dynamo.client().getItem(b -> b.tableName(dynamo.settings().tableName("auth")).consistentRead(true)
                .key(java.util.Map.of(
                        "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                "reminder#" + userId + " " + conversationId),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("reminder")))).item();
        if (item == null || item.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new chatapp.notification.Reminder(userId, conversationId,
                java.time.Instant.ofEpochMilli(Long.parseLong(item.get("dueAtMs").n()))));
    }

    @Override
    GreenMail mail() {
        return mail;
    }
}
