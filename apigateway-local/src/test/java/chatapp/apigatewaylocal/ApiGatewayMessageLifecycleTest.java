package chatapp.apigatewaylocal;

import chatapp.server.RunningServer;
import chatapp.server.realtime.MessageLifecycleEventsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MessageLifecycleEventsContract} on the AWS shape: REST on the server, WebSockets held by
 * API Gateway (the harness), frames answered by the Lambda handlers, all on DynamoDB (moto).
 */
class ApiGatewayMessageLifecycleTest extends MessageLifecycleEventsContract {

    @RegisterExtension
    static final AwsShape shape = new AwsShape();

    @Override
    protected RunningServer server() {
        return shape.server();
    }
}
