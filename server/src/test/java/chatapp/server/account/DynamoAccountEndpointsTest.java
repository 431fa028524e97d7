package chatapp.server.account;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account endpoints on the AWS shape: DynamoDB on moto. */
class DynamoAccountEndpointsTest extends AccountEndpointsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server();

    @Override
    RunningServer server() {
        return server;
    }
}
