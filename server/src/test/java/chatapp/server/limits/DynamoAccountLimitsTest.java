package chatapp.server.limits;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AccountLimitsTest} on the AWS shape's store (buckets in DynamoDB on moto). */
class DynamoAccountLimitsTest extends AccountLimitsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server(LOWERED);

    @Override
    RunningServer server() {
        return server;
    }
}
