package chatapp.apigatewaylocal;

import chatapp.aws.DynamoSettings;
import chatapp.chat.MessageLimit;
import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.RunningServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The AWS shape on this machine for a test class: fresh tables on moto, the API Gateway harness
 * running the Lambda handlers ({@code apigateway-local}), and a server configured as on EC2
 * ({@code CHATAPP_STORE=dynamodb}, {@code CHATAPP_REALTIME=apigateway}, the harness as
 * Management API endpoint and WebSocket URL). Register as a static {@code @RegisterExtension}.
 */
public final class AwsShape implements BeforeAllCallback, AfterAllCallback {

    private static final String PREFIX = "shape-";

    private final MessageLimit.Rate messages;
    private final List<String> serverArgs;
    private ApiGatewayLocal harness;
    private RunningServer server;

    /** With the default limits. */
    public AwsShape() {
        this(MessageLimit.Rate.DEFAULT);
    }

    /**
     * @param messages the Lambda handlers' message limit ({@code CHATAPP_LIMITS_MESSAGES_PER_MINUTE}, ...)
     * @param serverArgs more {@code --chatapp.*} settings of the server, e.g. its limits
     */
    public AwsShape(MessageLimit.Rate messages, String... serverArgs) {
        this.messages = messages;
        this.serverArgs = List.of(serverArgs);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        MotoServer moto = MotoServer.get();
        moto.reset();
        AwsTestEnvironment.use(moto);
        DynamoSettings settings = moto.dynamoSettings(PREFIX);
        try (DynamoDbClient client = settings.client()) {
            new Tables(client, settings).create();
        }
        harness = LocalApiGateway.start("127.0.0.1", 0, settings, List.of(), messages);
        List<String> args = new ArrayList<>(List.of("--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(),
                "--chatapp.table-prefix=" + PREFIX, "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY,
                "--chatapp.realtime=apigateway", "--chatapp.apigateway-endpoint=" + harness.endpoint(),
                "--chatapp.websocket-url=" + harness.websocketUrl()));
        args.addAll(serverArgs);
        server = new RunningServer(args.toArray(String[]::new));
        server.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.afterAll(context);
        }
        if (harness != null) {
            harness.close();
        }
    }

    /** The REST server (EC2's part). */
    public RunningServer server() {
        return server;
    }

    /** The harness (API Gateway's and Lambda's part). */
    public ApiGatewayLocal harness() {
        return harness;
    }
}
