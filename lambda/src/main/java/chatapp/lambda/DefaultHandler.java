package chatapp.lambda;

import chatapp.realtime.CloseReason;
import chatapp.realtime.FrameHandler;
import chatapp.realtime.WebSocketConnection;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code $default}: every client frame of API.md ({@code send}, {@code read}, {@code typing},
 * {@code ping}), answered by core's {@link FrameHandler}, the same as on the built-in gateway.
 * This class keeps only the transport: the connection's record, answers to this connection with
 * {@code postToConnection}, and deleting a connection that sent a frame over 64 KiB (API Gateway
 * itself allows 128 KiB), and refusing the frames of a connection whose session has ended (it
 * gets an {@code error session_ended} and is deleted, the built-in gateway's 4401). Events reach the other connections through
 * {@link chatapp.aws.ApiGatewayFanOut}.
 */
public final class DefaultHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger log = LoggerFactory.getLogger(DefaultHandler.class);

    private final Wiring wiring;

    /** Lambda's constructor: configuration from the environment. */
    public DefaultHandler() {
        this(Wiring.fromEnvironment());
    }

    public DefaultHandler(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        String connectionId = event.getRequestContext().getConnectionId();
        Optional<WebSocketConnection> record = wiring.connections().find(connectionId);
        if (record.isEmpty()) {
            // Its record expired or was removed: the client must reconnect with a new ticket.
            log.info("frame on unrecorded connection {}; closing it", connectionId);
            Routes.close(wiring.management(), connectionId);
            return Routes.ok();
        }
        WebSocketConnection bound = record.get();
        if (bound.sessionId() != null && !wiring.sessions().live(bound.userId(), bound.sessionId())) {
            log.info("frame on connection {} of an ended session; closing it", connectionId);
            wiring.fanOut().disconnect(bound, CloseReason.SESSION_ENDED);
            return Routes.ok();
        }
        WebSocketConnection c = wiring.connections().refresh(bound);
        String body = event.getBody() == null ? "" : event.getBody();
        FrameHandler.Outcome outcome = wiring.frameHandler().handle(c, body,
                frame -> wiring.fanOut().answer(c, frame));
        if (outcome == FrameHandler.Outcome.TOO_LARGE) {
            Routes.close(wiring.management(), connectionId);
        }
        wiring.awaitNotifications(); // after the ack: pushes never delay it
        return Routes.ok();
    }
}
