package chatapp.lambda;

import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code $disconnect}: removes the connection's record and, if it was the user's last one, sends
 * {@code presence} (offline, {@code lastSeenAt} now) to everyone who shares a conversation with
 * the user. API Gateway calls it on a best-effort basis; a record it misses expires by itself.
 */
public final class DisconnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private final Wiring wiring;

    /** Lambda's constructor: configuration from the environment. */
    public DisconnectHandler() {
        this(Wiring.fromEnvironment());
    }

    public DisconnectHandler(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        Optional<WebSocketConnection> record = wiring.connections().find(event.getRequestContext().getConnectionId());
        if (record.isEmpty()) {
            return Routes.ok();
        }
        WebSocketConnection c = record.get();
        wiring.connections().close(c);
        if (wiring.connections().of(c.userId()).isEmpty()) {
            wiring.events().presence(c.userId(), false, Instant.now(wiring.clock()));
        }
        return Routes.ok();
    }
}
