package chatapp.aws;

import chatapp.realtime.CloseReason;
import chatapp.realtime.Connections;
import chatapp.realtime.FanOut;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.WebSocketConnection;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * {@link FanOut} for the API Gateway shape (docs/architecture.md, "Real-time in two shapes"): looks
 * the user's connections up in {@code WebSocketConnections} and posts the frame to each of them
 * at once with the Management API's {@code PostToConnection}; a connection API Gateway no longer
 * holds (410 Gone) is deleted from the store. A connection still awaiting its {@code hello}
 * (API Gateway answers 410 before its {@code $connect} has returned, and the hello function
 * greets it a moment later) is not posted to: the frame is withheld with its record and the hello
 * function posts it after {@code hello} ({@link Connections#mayPost}), so {@code hello} stays its
 * first frame and its record is never taken for gone. Returns when every post has been answered, because
 * a Lambda function is frozen as soon as its handler returns. Closing a connection is the
 * Management API's {@code DeleteConnection}, which sends no close code of ours: the connection
 * first gets the {@code error} frame of its {@link CloseReason}.
 */
public final class ApiGatewayFanOut implements FanOut {

    private static final Logger log = LoggerFactory.getLogger(ApiGatewayFanOut.class);

    private final Connections connections;
    private final Supplier<ApiGatewayManagementApiClient> client;
    private final Function<ServerFrame, String> encoder;
    private final String heldBy;

    /**
     * @param endpoint the Management API endpoint, {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}
     *     ({@code CHATAPP_APIGATEWAY_ENDPOINT})
     * @param client made on first use (cold starts pay only for what they use)
     * @param encoder the JSON text of a frame (API.md)
     */
    public ApiGatewayFanOut(Connections connections, URI endpoint, Supplier<ApiGatewayManagementApiClient> client,
            Function<ServerFrame, String> encoder) {
        this.connections = Objects.requireNonNull(connections);
        this.client = Objects.requireNonNull(client);
        this.encoder = Objects.requireNonNull(encoder);
        this.heldBy = heldBy(endpoint);
    }

    /** What {@link WebSocketConnection#heldBy()} records for connections held by the API at {@code endpoint}. */
    public static String heldBy(URI endpoint) {
        return "apigateway:" + Objects.requireNonNull(endpoint, "the API Gateway endpoint (CHATAPP_APIGATEWAY_ENDPOINT)");
    }

    /** A Management API client for {@code endpoint} on the small URL-connection HTTP client. */
    public static ApiGatewayManagementApiClient client(URI endpoint) {
        return ApiGatewayManagementApiClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .build();
    }

    /** The value this fan-out records as {@code heldBy} and posts to. */
    public String heldBy() {
        return heldBy;
    }

    @Override
    public void deliver(String userId, ServerFrame frame, String exceptConnectionId) {
        List<WebSocketConnection> targets = connections.of(userId).stream()
                .filter(c -> !c.connectionId().equals(exceptConnectionId) && heldBy.equals(c.heldBy()))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        String text = encoder.apply(frame);
        SdkBytes data = SdkBytes.fromUtf8String(text);
        if (targets.size() == 1) {
            deliver(targets.getFirst(), text, data);
            return;
        }
        try (ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor()) {
            targets.forEach(c -> sends.execute(() -> deliver(c, text, data)));
        }
    }

    private void deliver(WebSocketConnection c, String text, SdkBytes data) {
        try {
            if (!connections.mayPost(c, text)) {
                return; // withheld until its hello, or its record is gone
            }
        } catch (RuntimeException e) {
            log.warn("cannot withhold a frame for connection {} of user {} (its client catches up after hello): {}",
                    c.connectionId(), c.userId(), e.toString());
            return;
        }
        post(c, data);
    }

    @Override
    public void disconnect(String userId, String sessionId, CloseReason reason) {
        List<WebSocketConnection> targets = connections.of(userId).stream()
                .filter(c -> sessionId.equals(c.sessionId()) && heldBy.equals(c.heldBy()))
                .toList();
        if (targets.size() == 1) {
            disconnect(targets.getFirst(), reason);
            return;
        }
        try (ExecutorService closes = Executors.newVirtualThreadPerTaskExecutor()) {
            targets.forEach(c -> closes.execute(() -> disconnect(c, reason)));
        }
    }

    /**
     * Posts the reason's {@code error} frame, deletes the connection at API Gateway and its record.
     * A connection still awaiting its {@code hello} gets no frame at all (it would come before
     * {@code hello}, docs/protocol.md): it is closed bare, and its client learns why when it
     * reconnects.
     */
    @Override
    public void disconnect(WebSocketConnection c, CloseReason reason) {
        if (!heldBy.equals(c.heldBy())) {
            return;
        }
        if (connections.awaitsHello(c)) {
            log.debug("connection {} of user {} closes before its hello ({})", c.connectionId(), c.userId(),
                    reason.reason());
        } else if (!post(c, SdkBytes.fromUtf8String(encoder.apply(reason.frame())))) {
            log.debug("connection {} could not be told why it closes", c.connectionId());
        }
        try {
            client.get().deleteConnection(b -> b.connectionId(c.connectionId()));
        } catch (GoneException e) {
            // closed meanwhile
        } catch (SdkException e) {
            log.warn("cannot delete connection {} of user {} ({}): {}", c.connectionId(), c.userId(), reason.reason(),
                    e.toString());
            return; // its record stays: $default refuses its frames once its session has ended
        }
        try {
            connections.close(c);
        } catch (RuntimeException e) {
            log.warn("cannot remove the record of closed connection {} (it expires by itself): {}",
                    c.connectionId(), e.toString());
        }
    }

    /**
     * Answers a frame of connection {@code c} (an {@code ack}, a {@code pong}, an {@code error}):
     * posted, or withheld with its record while it awaits its {@code hello}, as any frame
     * ({@link Connections#mayPost}): on AWS the hello function may start after the client's first
     * frame has been answered.
     *
     * @param frame the frame's JSON text
     */
    public void answer(WebSocketConnection c, String frame) {
        deliver(c, frame, SdkBytes.fromUtf8String(frame));
    }

    /**
     * Posts to one connection, as it is (no withholding; {@link #answer} withholds); true if API
     * Gateway took it. A 410 removes the record of a
     * greeted connection only: one awaiting hello may just not be established yet.
     */
    public boolean post(WebSocketConnection c, SdkBytes data) {
        try {
            client.get().postToConnection(b -> b.connectionId(c.connectionId()).data(data));
            return true;
        } catch (GoneException e) {
            if (connections.awaitsHello(c)) {
                log.debug("connection {} of user {} is not established yet", c.connectionId(), c.userId());
                return false;
            }
            log.debug("connection {} of user {} is gone; removing its record", c.connectionId(), c.userId());
            try {
                connections.close(c);
            } catch (RuntimeException removal) {
                log.warn("cannot remove the record of gone connection {} (it expires by itself): {}",
                        c.connectionId(), removal.toString());
            }
        } catch (SdkException e) {
            // Another connection's trouble must not stop delivery to the rest; the client
            // catches up after it reconnects (API.md).
            log.warn("post to connection {} of user {} failed: {}", c.connectionId(), c.userId(), e.toString());
        }
        return false;
    }
}
