package chatapp.server.apigateway;

import chatapp.aws.DynamoSettings;
import chatapp.lambda.ConnectHandler;
import chatapp.lambda.DefaultHandler;
import chatapp.lambda.DisconnectHandler;
import chatapp.lambda.HelloHandler;
import chatapp.lambda.Wiring;
import java.util.List;
import java.util.Map;

/**
 * {@code ./chatapp apigateway-local}: the {@code lambda} module's handlers behind
 * {@link ApiGatewayLocal}, wired as deploy/template.yaml wires them on AWS, on the tables that
 * the {@code CHATAPP_*} store settings name. The handlers reach the Management API and Lambda's
 * Invoke at the harness itself.
 */
public final class LocalApiGateway {

    /** The hello function's name, as the $connect handler invokes it. */
    static final String HELLO = "hello";

    private LocalApiGateway() {
    }

    /**
     * Starts the harness with the handlers.
     *
     * @param host the interface to listen on ({@code 127.0.0.1} or {@code 0.0.0.0})
     * @param port 0 for a free one
     * @param allowedOrigins as {@code CHATAPP_ALLOWED_ORIGINS}
     */
    public static ApiGatewayLocal start(String host, int port, DynamoSettings dynamo, List<String> allowedOrigins) {
        return ApiGatewayLocal.start(host, port, endpoint -> {
            Wiring wiring = new Wiring(new Wiring.Settings(dynamo, endpoint, endpoint, HELLO, allowedOrigins));
            return new ApiGatewayLocal.Functions(new ConnectHandler(wiring), new DisconnectHandler(wiring),
                    new DefaultHandler(wiring), Map.of(HELLO, new HelloHandler(wiring)));
        });
    }
}
