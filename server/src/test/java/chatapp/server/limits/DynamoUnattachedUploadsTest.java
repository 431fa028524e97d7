package chatapp.server.limits;

import chatapp.aws.DynamoFixture;
import chatapp.server.DynamoShape;
import chatapp.server.RunningServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UnattachedUploadsTest} on DynamoDB (moto; files on disk, S3 is MediaFilesContract's). */
class DynamoUnattachedUploadsTest extends UnattachedUploadsTest {

    @RegisterExtension
    @Order(1)
    static final DynamoFixture dynamo = new DynamoFixture();

    @RegisterExtension
    @Order(2)
    static final RunningServer server = DynamoShape.server(AGE);

    @Override
    RunningServer server() {
        return server;
    }
}
