package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.ApiGatewayFanOut;
import chatapp.aws.DynamoConnectionStore;
import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoTicketStore;
import chatapp.core.Ids;
import chatapp.lambda.ConnectHandler;
import chatapp.lambda.DefaultHandler;
import chatapp.lambda.DisconnectHandler;
import chatapp.lambda.HelloHandler;
import chatapp.lambda.Wiring;
import chatapp.realtime.CloseReason;
import chatapp.realtime.Connections;
import chatapp.realtime.Frames;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.Tickets;
import chatapp.realtime.WebSocketConnection;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code hello} is a connection's first frame on the API Gateway shape (docs/protocol.md), also
 * for a frame fanned out to it between its {@code $connect} and its {@code hello}: the moment
 * when its record exists but API Gateway still answers 410 for it (as a peer's presence or a
 * message can meet a connection opening at the same time). The harness's {@code $connect} is
 * wrapped to fan a frame out exactly then, after the handler has recorded the connection and
 * before the socket is established.
 */
class HelloFirstTest {

    private static final String PEER = "peer-" + Ids.random();
    /** How late the hello function runs after $connect. */
    private static final Duration HELLO_DELAY = Duration.ofMillis(700);

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private static ApiGatewayLocal harness;
    private static Tickets tickets;
    private static Connections connections;
    private static ApiGatewayManagementApiClient client;
    private static volatile ApiGatewayFanOut fanOut;

    @BeforeAll
    static void start() {
        AwsTestEnvironment.use(dynamo.moto());
        connections = new Connections(new DynamoConnectionStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
        harness = ApiGatewayLocal.start("127.0.0.1", 0, endpoint -> {
            client = ApiGatewayFanOut.client(endpoint);
            fanOut = new ApiGatewayFanOut(connections, endpoint, () -> client, new Frames(JsonMapper.builder().build())::encode);
            Wiring wiring = new Wiring(new Wiring.Settings(dynamo.settings(), endpoint, endpoint, LocalApiGateway.HELLO,
                    List.of()));
            ConnectHandler connect = new ConnectHandler(wiring);
            HelloHandler hello = new HelloHandler(wiring);
            return new ApiGatewayLocal.Functions((event, context) -> {
                APIGatewayV2WebSocketResponse answer = connect.handleRequest(event, context);
                connections.find(event.getRequestContext().getConnectionId()).ifPresent(c ->
                        fanOut.deliver(c.userId(), new ServerFrame.Presence(PEER, true, Instant.now()), null));
                return answer;
            }, new DisconnectHandler(wiring), new DefaultHandler(wiring),
                    Map.of(LocalApiGateway.HELLO, (RequestStreamHandler) (in, out, context) -> {
                        // as a cold or queued hello function on AWS: the client's first frames
                        // are answered before its hello has gone out
                        try {
                            Thread.sleep(HELLO_DELAY.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        hello.handleRequest(in, out, context);
                    }));
        });
        tickets = new Tickets(new DynamoTicketStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        harness.close();
        client.close();
    }

    @Test
    void aFrameFannedOutBeforeHelloComesRightAfterItAndTheConnectionKeepsItsRecord() {
        String user = Ids.random();
        try (WsClient ws = connect(user)) {
            String connectionId = ws.next("hello").path("connectionId").asString();
            JsonNode withheld = ws.next("presence");
            assertThat(withheld.path("userId").asString()).isEqualTo(PEER);
            assertThat(connections.of(user)).singleElement()
                    .satisfies(c -> assertThat(c.connectionId()).isEqualTo(connectionId));

            fanOut.deliver(user, new ServerFrame.Typing("c1", PEER), null);
            assertThat(ws.next("typing").path("conversationId").asString()).isEqualTo("c1");
        }
    }

    @Test
    void theAnswersToFramesSentBeforeHelloComeAfterIt() {
        String user = Ids.random();
        try (WsClient ws = connect(user)) {
            ws.send("{\"type\":\"ping\"}");
            ws.send("not json");
            assertThat(ws.next(Duration.ofSeconds(10)).path("type").asString()).isEqualTo("hello");
            assertThat(ws.next("presence").path("userId").asString()).isEqualTo(PEER);
            assertThat(ws.next("pong")).isNotNull();
            assertThat(ws.next("error").path("code").asString()).isEqualTo("bad_frame");
        }
    }

    @Test
    void aConnectionClosedBeforeItsHelloGetsNoFrameBeforeTheClose() {
        String user = Ids.random();
        try (WsClient ws = connect(user)) {
            WebSocketConnection c = connections.of(user).getFirst();
            assertThat(connections.awaitsHello(c)).isTrue();
            fanOut.disconnect(c, CloseReason.SESSION_ENDED);
            assertThat(ws.closed(Duration.ofSeconds(10))).isNotNull();
            assertThat(ws.drain()).as("no error frame ahead of a hello").allMatch(f -> f.path("type").asString().equals("hello"));
            assertThat(connections.of(user)).isEmpty();
        }
    }

    /** A new connection of {@code user}, with a fresh ticket and no Origin (a native client). */
    private static WsClient connect(String user) {
        return WsClient.connect(URI.create(harness.websocketUrl() + "?ticket=" + tickets.issue(user).ticket()), null);
    }
}
