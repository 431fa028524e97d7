package chatapp.lambda;

import chatapp.chat.Content;
import chatapp.chat.Sent;
import chatapp.core.ChatAppException;
import chatapp.protocol.ClientFrame;
import chatapp.protocol.Frames;
import chatapp.realtime.RealtimeEvents;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;

/**
 * {@code $default}: every client frame of API.md ({@code send}, {@code read}, {@code typing},
 * {@code ping}), decoded and answered as the built-in gateway does, through the same core
 * services and the same frames. Answers go to this connection with {@code postToConnection};
 * events to the other connections through {@link chatapp.aws.ApiGatewayFanOut}.
 */
public final class DefaultHandler implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

    private static final Logger log = LoggerFactory.getLogger(DefaultHandler.class);
    /** API.md: frames over 64 KiB are refused (API Gateway itself allows 128 KiB). */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    /** API.md's 2 s, as the built-in gateway's default (chatapp.websocket.typing-interval). */
    static final Duration TYPING_INTERVAL = Duration.ofSeconds(2);

    private final Wiring wiring;
    private final TypingThrottle typing = new TypingThrottle(TYPING_INTERVAL);

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
            wiring.management().deleteConnection(b -> b.connectionId(connectionId));
            return Routes.ok();
        }
        WebSocketConnection c = wiring.connections().refresh(record.get());
        String body = event.getBody() == null ? "" : event.getBody();
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            reply(c, new ServerFrame.Failure("too_large", "frames are limited to 64 KiB", null));
            wiring.management().deleteConnection(b -> b.connectionId(connectionId));
            return Routes.ok();
        }
        ClientFrame frame;
        try {
            frame = wiring.frames().decode(body);
        } catch (Frames.BadFrame e) {
            reply(c, new ServerFrame.Failure("bad_frame", e.getMessage(), e.clientMessageId()));
            return Routes.ok();
        }
        try {
            handle(c, frame);
        } catch (ChatAppException e) {
            reply(c, new ServerFrame.Failure(e.code().code(), e.detail(), clientMessageId(frame)));
        } catch (RuntimeException e) {
            log.error("frame {} of connection {} failed", frame.getClass().getSimpleName(), connectionId, e);
            reply(c, new ServerFrame.Failure("internal_error", "an internal error occurred; it has been logged",
                    clientMessageId(frame)));
        }
        return Routes.ok();
    }

    /** As the built-in gateway: the same core calls, the same answers. */
    private void handle(WebSocketConnection c, ClientFrame frame) {
        switch (frame) {
            case ClientFrame.Ping p -> reply(c, new ServerFrame.Pong());
            case ClientFrame.Send s -> {
                // Returns once the message is durable; its message events went out meanwhile.
                Sent sent = RealtimeEvents.from(c.connectionId(), () -> wiring.chat().send(c.userId(),
                        s.conversationId(), s.clientMessageId(), new Content(s.contentType(), s.value())));
                reply(c, new ServerFrame.Ack(s.clientMessageId(), sent.message()));
            }
            case ClientFrame.Read r -> RealtimeEvents.from(c.connectionId(),
                    () -> wiring.chat().markRead(c.userId(), r.conversationId(), r.upToMessageId()));
            case ClientFrame.Typing t -> {
                if (typing.allow(c.connectionId() + "\n" + t.conversationId())) {
                    wiring.events().typing(c.userId(), t.conversationId());
                }
            }
        }
    }

    private static String clientMessageId(ClientFrame frame) {
        return frame instanceof ClientFrame.Send s ? s.clientMessageId() : null;
    }

    private void reply(WebSocketConnection c, ServerFrame frame) {
        wiring.fanOut().post(c, SdkBytes.fromUtf8String(wiring.frames().encode(frame)));
    }
}
