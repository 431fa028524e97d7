package chatapp.server.safety;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PeerBoundariesTest} on the AWS shape: DynamoDB on moto. */
class DynamoPeerBoundariesTest extends PeerBoundariesTest {

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
