package chatapp.server.audit;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuditEndpointsTest} on the AWS shape: DynamoDB on moto (media on disk, served by signed links). */
class DynamoAuditEndpointsTest extends AuditEndpointsTest {

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
