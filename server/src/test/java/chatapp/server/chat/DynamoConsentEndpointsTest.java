package chatapp.server.chat;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ConsentEndpointsTest} on the AWS shape: DynamoDB on moto. */
class DynamoConsentEndpointsTest extends ConsentEndpointsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server(LIMIT);

    @Override
    RunningServer server() {
        return server;
    }
}
