package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.ApiGatewayFanOut;
import chatapp.aws.DynamoConnectionStore;
import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoTicketStore;
import chatapp.core.Ids;
import chatapp.realtime.Connections;
import chatapp.realtime.Frames;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.Ticket;
import chatapp.realtime.Tickets;
import chatapp.realtime.WebSocketConnection;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API Gateway fan-out adapter against the harness: every connection of the user gets the
 * frame except the one named, a connection API Gateway no longer holds is removed, and one
 * awaiting its hello is not posted to (API Gateway answers 410 for it until it is established).
 */
class ApiGatewayFanOutTest {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private static ApiGatewayLocal harness;
    private static Tickets tickets;
    private static Connections connections;
    private static ApiGatewayManagementApiClient client;
    private static ApiGatewayFanOut fanOut;

    @BeforeAll
    static void start() {
        AwsTestEnvironment.use(dynamo.moto());
        harness = LocalApiGateway.start("127.0.0.1", 0, dynamo.settings(), List.of());
        tickets = new Tickets(new DynamoTicketStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
        connections = new Connections(new DynamoConnectionStore(dynamo.client(), dynamo.settings()), Clock.systemUTC());
        client = ApiGatewayFanOut.client(harness.endpoint());
        fanOut = new ApiGatewayFanOut(connections, harness.endpoint(), () -> client,
                new Frames(JsonMapper.builder().build())::encode);
    }

    @AfterAll
    static void stop() {
        client.close();
        harness.close();
    }

    @Test
    void everyConnectionOfTheUserButTheNamedOneGetsTheFrame() {
        String user = Ids.random();
        List<WsClient> devices = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WsClient ws = WsClient.connect(URI.create(harness.websocketUrl() + "?ticket=" + tickets.issue(user).ticket()), null);
            ids.add(ws.next("hello").path("connectionId").asString());
            devices.add(ws);
        }
        WsClient stranger = WsClient.connect(URI.create(harness.websocketUrl() + "?ticket="
                + tickets.issue(Ids.random()).ticket()), null);
        stranger.next("hello");
        try {
            fanOut.deliver(user, new ServerFrame.Typing("c1", "peer"), ids.getFirst());
            for (int i = 1; i < 4; i++) {
                assertThat(devices.get(i).next("typing").path("conversationId").asString()).isEqualTo("c1");
            }
            devices.getFirst().expectNothing(Duration.ofMillis(300));
            stranger.expectNothing(Duration.ofMillis(100));
        } finally {
            devices.forEach(WsClient::close);
            stranger.close();
        }
    }

    @Test
    void aConnectionApiGatewayNoLongerHoldsIsRemovedAndTheOthersStillGetTheFrame() {
        String user = Ids.random();
        try (WsClient live = WsClient.connect(URI.create(harness.websocketUrl() + "?ticket=" + tickets.issue(user).ticket()), null)) {
            live.next("hello");
            // A record whose socket API Gateway dropped without $disconnect reaching us.
            connections.open(user, "Z29uZS1jb25uZWN0aW9u", fanOut.heldBy());
            assertThat(connections.of(user)).hasSize(2);

            fanOut.deliver(user, new ServerFrame.Pong(), null);

            assertThat(live.next("pong")).isNotNull();
            assertThat(connections.of(user)).singleElement()
                    .satisfies(c -> assertThat(c.connectionId()).isNotEqualTo("Z29uZS1jb25uZWN0aW9u"));
        }
    }

    @Test
    void aConnectionAwaitingHelloIsNotPostedToKeepsItsRecordAndItsFrameWaitsForTheGreeting() {
        String user = Ids.random();
        try (WsClient live = WsClient.connect(URI.create(harness.websocketUrl() + "?ticket=" + tickets.issue(user).ticket()), null)) {
            live.next("hello");
            // Recorded by $connect, not yet established: API Gateway would answer 410.
            WebSocketConnection opening = connections.open(new Ticket(null, user, null), "b3BlbmluZy1jb25u", fanOut.heldBy(),
                    true);

            fanOut.deliver(user, new ServerFrame.Pong(), null);

            assertThat(live.next("pong")).isNotNull();
            assertThat(connections.of(user)).hasSize(2).contains(opening);
            assertThat(connections.greeted(user, opening.connectionId()))
                    .hasValueSatisfying(frames -> assertThat(frames).singleElement().asString().contains("\"pong\""));
        }
    }
}
