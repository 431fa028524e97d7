package chatapp.lambda;

import chatapp.core.ErrorCode;
import chatapp.realtime.AllowedOrigins;
import chatapp.realtime.Ticket;
import chatapp.realtime.WebSocketConnection;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * {@code $connect} (API.md, "Real-time WebSocket"): an {@code Origin} outside the allow-list is
 * refused with 403 before the ticket is looked at (a refused page does not spend it); a missing,
 * used or expired ticket, or one of a session that has ended, with 401. Otherwise the connection
 * is recorded in {@code WebSocketConnections} as awaiting hello, bound to the ticket's session, the user's oldest
 * connections past {@code CHATAPP_LIMITS_SOCKETS_PER_USER} are closed, and the hello function is
 * invoked asynchronously: API Gateway refuses {@code postToConnection} until this handler has
 * returned 200.
 */
public final class ConnectHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

    private final Wiring wiring;
    private final AllowedOrigins origins;

    /** Lambda's constructor: configuration from the environment. */
    public ConnectHandler() {
        this(Wiring.fromEnvironment());
    }

    public ConnectHandler(Wiring wiring) {
        this.wiring = wiring;
        this.origins = new AllowedOrigins(wiring.settings().allowedOrigins());
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        var request = event.getRequestContext();
        String origin = Routes.header(event, "Origin");
        if (!origins.allows(origin, "https://" + request.getDomainName())) {
            return Routes.problem(ErrorCode.FORBIDDEN, "origin " + origin + " may not open a WebSocket here");
        }
        Optional<Ticket> ticket = wiring.tickets().spend(Routes.query(event, "ticket"));
        if (ticket.isEmpty()) {
            return Routes.problem(ErrorCode.UNAUTHORIZED,
                    "a valid ticket is required (POST /api/v1/realtime/tickets; single use, 60 s, of a live session)");
        }
        // Awaiting hello: fan-out withholds its frames until the hello function has greeted it.
        WebSocketConnection c = wiring.connections().open(ticket.get(), request.getConnectionId(), wiring.fanOut().heldBy(),
                true);
        try {
            wiring.events().overCap(wiring.connections().beyondCap(c, wiring.settings().socketsPerUser()));
        } catch (RuntimeException e) {
            log.warn("cannot apply the connection cap of user {}: {}", c.userId(), e.toString());
        }
        boolean first = wiring.connections().of(c.userId()).stream().allMatch(o -> o.connectionId().equals(c.connectionId()));
        try {
            wiring.lambda().invoke(b -> b.functionName(wiring.settings().helloFunction())
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(HelloHandler.payload(c, first))));
        } catch (SdkException e) {
            // Without hello the client would wait forever: refuse, so that it reconnects.
            log.error("cannot invoke the hello function for connection {}", c.connectionId(), e);
            wiring.connections().close(c);
            return Routes.problem(ErrorCode.UNAVAILABLE, "try again in a moment");
        }
        return Routes.ok();
    }
}
