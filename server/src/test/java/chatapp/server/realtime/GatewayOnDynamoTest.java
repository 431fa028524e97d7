package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import chatapp.aws.Tables;
import chatapp.core.Ids;
import chatapp.realtime.Connections;
import chatapp.realtime.Tickets;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.RunningServer;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import org.junit.jupiter.api.Test;

/** The gateway on the AWS store shape: tickets and connection records live in DynamoDB (moto). */
class GatewayOnDynamoTest {

    @Test
    void aTicketWorksOnceAndTheConnectionIsRecordedInDynamoDbUntilItCloses() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        AwsTestEnvironment.use(moto);
        var settings = moto.dynamoSettings("rt-");
        try (var client = settings.client()) {
            new Tables(client, settings).create();
        }
        RunningServer server = new RunningServer("--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(), "--chatapp.table-prefix=rt-",
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY);
        server.beforeAll(null);
        try {
            String userId = "user-" + Ids.random();
            String ticket = server.context().getBean(Tickets.class).issue(userId).ticket();
            URI uri = URI.create(server.uri("/ws").toString().replaceFirst("^http", "ws") + "?ticket=" + ticket);
            Connections connections = server.context().getBean(Connections.class);
            String connectionId;
            try (WsClient c = WsClient.connect(uri, null)) {
                connectionId = c.next("hello").path("connectionId").asString();
                assertThat(connections.find(connectionId)).hasValueSatisfying(r -> assertThat(r.userId()).isEqualTo(userId));
                try {
                    WsClient.connect(uri, null).close();
                    throw new AssertionError("a used ticket opened a second connection");
                } catch (RuntimeException e) {
                    assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
                    assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401);
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (connections.find(connectionId).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(connections.find(connectionId)).isEmpty();
        } finally {
            server.afterAll(null);
        }
    }
}
