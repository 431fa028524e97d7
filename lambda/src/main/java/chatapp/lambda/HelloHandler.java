package chatapp.lambda;

import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends {@code hello} to a new connection and marks its record greeted; then, if it was the
 * user's only connection, sends {@code presence} (online) to everyone who shares a conversation
 * with the user; posts the new connection the frames withheld for it meanwhile
 * ({@link chatapp.realtime.Connections#greeted}) and tells it which of its peers are online (as
 * the built-in gateway does).
 * Invoked asynchronously by {@link ConnectHandler} with {@code {"userId", "connectionId", "first"}},
 * because API Gateway answers {@code postToConnection} with 410 until {@code $connect} has
 * returned: this retries briefly until the connection is established (AWS's advice for a message
 * right after connecting). Until it is greeted, fan-out posts nothing to the connection, so
 * {@code hello} is its first frame (docs/protocol.md).
 */
public final class HelloHandler implements RequestStreamHandler {

    private static final Logger log = LoggerFactory.getLogger(HelloHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long a connection may take to be established after $connect returned. */
    static final Duration ESTABLISH_WITHIN = Duration.ofSeconds(5);

    private final Wiring wiring;

    /** Lambda's constructor: configuration from the environment. */
    public HelloHandler() {
        this(Wiring.fromEnvironment());
    }

    public HelloHandler(Wiring wiring) {
        this.wiring = wiring;
    }

    /**
     * The invocation payload for connection {@code c}; {@code first} if it was the user's only
     * connection when it was recorded (then its peers hear that the user is online).
     */
    static String payload(WebSocketConnection c, boolean first) {
        return JSON.writeValueAsString(JSON.createObjectNode().put("userId", c.userId())
                .put("connectionId", c.connectionId()).put("first", first));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode payload = JSON.readTree(input);
        String userId = payload.path("userId").asString();
        String connectionId = payload.path("connectionId").asString();
        Instant now = wiring.clock().instant();
        SdkBytes hello = SdkBytes.fromUtf8String(wiring.frames().encode(new ServerFrame.Hello(userId, connectionId, now)));
        if (!post(connectionId, hello)) {
            log.info("connection {} of user {} was never established or is gone", connectionId, userId);
            wiring.connections().find(connectionId).ifPresent(wiring.connections()::close);
            return;
        }
        Optional<List<String>> withheld = wiring.connections().greeted(userId, connectionId);
        if (withheld.isEmpty()) {
            // Its record went meanwhile ($disconnect, a session that ended, the cap): nothing
            // would reach it, so it is closed and its client reconnects.
            log.info("connection {} of user {} lost its record before hello; closing it", connectionId, userId);
            Routes.close(wiring.management(), connectionId);
            return;
        }
        if (payload.path("first").asBoolean()) {
            try {
                wiring.events().presence(userId, true, now);
            } catch (RuntimeException e) {
                // the frames withheld for this connection are only here now: they go out anyway
                log.warn("cannot tell the peers of user {} that they are online: {}", userId, e.toString());
            }
        }
        for (String frame : withheld.get()) {
            if (!postOnce(connectionId, frame)) {
                return;
            }
        }
        // As on the built-in gateway: the new connection learns which peers are online. Taken
        // after the greeting: a peer that came online before it is in this list, one after it
        // tells this connection itself (at worst a peer is reported online twice).
        for (ServerFrame presence : wiring.events().onlinePeers(userId, wiring.connections()::onlineSince)) {
            if (!postOnce(connectionId, wiring.frames().encode(presence))) {
                return;
            }
        }
    }

    /**
     * Posts to a greeted connection; false if it is gone (its $disconnect removes its record). Any
     * other failure is logged and the next frame is tried: the withheld frames exist nowhere else.
     */
    private boolean postOnce(String connectionId, String frame) {
        try {
            wiring.management().postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String(frame)));
            return true;
        } catch (GoneException e) {
            return false;
        } catch (SdkException e) {
            log.warn("post to connection {} failed: {}", connectionId, e.toString());
            return true;
        }
    }


    /** Posts, retrying while API Gateway still says 410; false if it never takes it. */
    private boolean post(String connectionId, SdkBytes data) {
        long deadline = System.nanoTime() + ESTABLISH_WITHIN.toNanos();
        long pause = 10;
        while (true) {
            try {
                wiring.management().postToConnection(b -> b.connectionId(connectionId).data(data));
                return true;
            } catch (GoneException e) {
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = Math.min(pause * 2, 500);
            }
        }
    }
}
