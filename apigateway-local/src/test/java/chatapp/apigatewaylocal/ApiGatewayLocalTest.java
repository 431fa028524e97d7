package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.aws.MotoServer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * The harness plays API Gateway for real clients: a real WebSocket client on one side, the AWS
 * SDK's Management API and Lambda clients on the other, and route handlers that record the
 * events they are given.
 */
class ApiGatewayLocalTest {

    private final BlockingQueue<APIGatewayV2WebSocketEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> invoked = new LinkedBlockingQueue<>();
    private ApiGatewayLocal harness;
    private ApiGatewayManagementApiClient management;

    @BeforeEach
    void start() {
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> connect = (event, ctx) -> {
            events.add(event);
            String ticket = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("ticket");
            return response("good".equals(ticket) ? 200 : 401);
        };
        RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> record = (event, ctx) -> {
            events.add(event);
            return response(200);
        };
        harness = ApiGatewayLocal.start("127.0.0.1", 0, endpoint -> new ApiGatewayLocal.Functions(connect, record, record,
                Map.of("hello", (in, out, ctx) -> invoked.add(new String(in.readAllBytes(), StandardCharsets.UTF_8)))));
        management = ApiGatewayManagementApiClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(MotoServer.REGION).credentialsProvider(MotoServer.CREDENTIALS)
                .endpointOverride(harness.endpoint()).build();
    }

    @AfterEach
    void stop() {
        management.close();
        harness.close();
    }

    @Test
    void aConnectHandlerThatAnswers401RefusesTheHandshakeWith401() throws Exception {
        assertThatThrownBy(() -> connect("?ticket=bad", new Inbox()))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThat(harness.connectionCount()).isZero();
    }

    @Test
    void routesMessagesToTheHandlersAndThePostsOfTheManagementApiToTheSocket() throws Exception {
        Inbox inbox = new Inbox();
        WebSocket socket = connect("?ticket=good", inbox);
        APIGatewayV2WebSocketEvent connected = events.poll(10, TimeUnit.SECONDS);
        assertThat(connected.getRequestContext().getRouteKey()).isEqualTo("$connect");
        assertThat(connected.getRequestContext().getEventType()).isEqualTo("CONNECT");
        assertThat(connected.getHeaders()).containsEntry("Origin", "http://localhost");
        String connectionId = connected.getRequestContext().getConnectionId();
        assertThat(connectionId).endsWith("=");

        socket.sendText("{\"type\":\"ping\"}", true).join();
        APIGatewayV2WebSocketEvent message = events.poll(10, TimeUnit.SECONDS);
        assertThat(message.getRequestContext().getRouteKey()).isEqualTo("$default");
        assertThat(message.getRequestContext().getConnectionId()).isEqualTo(connectionId);
        assertThat(message.getBody()).isEqualTo("{\"type\":\"ping\"}");

        management.postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String("{\"type\":\"pong\"}")));
        assertThat(inbox.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"pong\"}");
        assertThat(management.getConnection(b -> b.connectionId(connectionId)).connectedAt()).isNotNull();

        management.deleteConnection(b -> b.connectionId(connectionId));
        assertThat(inbox.closed.poll(10, TimeUnit.SECONDS)).isNotNull();
        APIGatewayV2WebSocketEvent gone = events.poll(10, TimeUnit.SECONDS);
        assertThat(gone.getRequestContext().getRouteKey()).isEqualTo("$disconnect");
        assertThat(gone.getRequestContext().getConnectionId()).isEqualTo(connectionId);
        assertThatThrownBy(() -> management.postToConnection(b -> b.connectionId(connectionId)
                .data(SdkBytes.fromUtf8String("late")))).isInstanceOf(GoneException.class);
    }

    @Test
    void aClientThatClosesGetsItsDisconnectEvent() throws Exception {
        WebSocket socket = connect("?ticket=good", new Inbox());
        String connectionId = events.poll(10, TimeUnit.SECONDS).getRequestContext().getConnectionId();
        socket.sendClose(1000, "bye").join();
        APIGatewayV2WebSocketEvent gone = events.poll(10, TimeUnit.SECONDS);
        assertThat(gone.getRequestContext().getRouteKey()).isEqualTo("$disconnect");
        assertThat(gone.getRequestContext().getConnectionId()).isEqualTo(connectionId);
    }

    /** As API Gateway (AWS docs, "Binary media types for WebSocket APIs"): no binary frame reaches $default. */
    @Test
    void aBinaryFrameIsClosedWith1003WithoutReachingTheDefaultRoute() throws Exception {
        Inbox inbox = new Inbox();
        WebSocket socket = connect("?ticket=good", inbox);
        assertThat(events.poll(10, TimeUnit.SECONDS).getRequestContext().getRouteKey()).isEqualTo("$connect");
        socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertThat(inbox.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(1003);
        APIGatewayV2WebSocketEvent next = events.poll(10, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(next.getRequestContext().getRouteKey()).isEqualTo("$disconnect");
    }

    @Test
    void aPostToAnUnknownConnectionIsGone() {
        assertThatThrownBy(() -> management.postToConnection(b -> b.connectionId("nope=").data(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(GoneException.class);
    }

    @Test
    void lambdasAsynchronousInvokeRunsTheNamedFunctionWithItsPayload() throws Exception {
        try (LambdaClient lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(MotoServer.REGION).credentialsProvider(MotoServer.CREDENTIALS)
                .endpointOverride(harness.endpoint()).build()) {
            var answer = lambda.invoke(b -> b.functionName("hello").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"connectionId\":\"abc=\"}")));
            assertThat(answer.statusCode()).isEqualTo(202);
        }
        assertThat(invoked.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"connectionId\":\"abc=\"}");
    }

    private WebSocket connect(String query, Inbox inbox) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "http://localhost")
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(harness.websocketUrl() + query), inbox).join();
    }

    private static APIGatewayV2WebSocketResponse response(int status) {
        APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
        r.setStatusCode(status);
        return r;
    }

    private static final class Inbox implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closed = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.add(statusCode);
            return null;
        }
    }
}
