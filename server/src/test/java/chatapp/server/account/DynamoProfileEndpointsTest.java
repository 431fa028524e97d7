package chatapp.server.account;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProfileEndpointsTest} on the AWS shape: DynamoDB on moto. */
class DynamoProfileEndpointsTest extends ProfileEndpointsTest {

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
