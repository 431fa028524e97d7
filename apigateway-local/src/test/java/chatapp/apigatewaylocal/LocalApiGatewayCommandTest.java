package chatapp.apigatewaylocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoTicketStore;
import chatapp.core.Ids;
import chatapp.realtime.Tickets;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.realtime.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ./chatapp apigateway-local}'s settings and its one-line answers to an operator's mistakes. */
class LocalApiGatewayCommandTest {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void runsTheHandlersOnTheTablesAndPortTheSettingsNameAnArgumentWinningOverTheEnvironment() throws Exception {
        AwsTestEnvironment.use(dynamo.moto());
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of("CHATAPP_STORE", "dynamodb", "CHATAPP_PORT", "1",
                "CHATAPP_DYNAMODB_ENDPOINT", dynamo.moto().endpoint().toString(),
                "CHATAPP_TABLE_PREFIX", dynamo.settings().tablePrefix());
        try (ApiGatewayLocal harness = LocalApiGateway.run(new String[] {"--chatapp.port=" + port}, env, out)) {
            assertThat(harness.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + port));
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ws://127.0.0.1:" + port + "/");
            // The handlers read the prefixed tables: a ticket issued there opens a socket.
            String ticket = new Tickets(new DynamoTicketStore(dynamo.client(), dynamo.settings()), Clock.systemUTC())
                    .issue(Ids.random()).ticket();
            try (WsClient ws = WsClient.connect(URI.create(harness.websocketUrl() + "?ticket=" + ticket), null)) {
                assertThat(ws.next("hello").path("connectionId").asString()).isNotBlank();
            }
        }
    }

    @Test
    void helpPrintsTheSettingsAndStartsNothing() {
        assertThat(LocalApiGateway.run(new String[] {"help"}, Map.of(), out)).isNull();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("CHATAPP_PORT", "CHATAPP_DYNAMODB_ENDPOINT",
                "CHATAPP_TABLE_PREFIX", "CHATAPP_ALLOWED_ORIGINS");
    }

    @Test
    void anotherStoreThanDynamoDbIsRefusedInOneLine() {
        assertThatThrownBy(() -> LocalApiGateway.run(new String[0], Map.of(), out))
                .isInstanceOf(LocalApiGateway.OperatorError.class).hasMessageContaining("CHATAPP_STORE=dynamodb");
        assertThatThrownBy(() -> LocalApiGateway.run(new String[0], Map.of("CHATAPP_STORE", "sqlite"), out))
                .isInstanceOf(LocalApiGateway.OperatorError.class).hasMessageContaining("CHATAPP_STORE=dynamodb");
    }

    @Test
    void aBadPortOrEndpointIsRefusedNamingTheSetting() {
        Map<String, String> dynamodb = Map.of("CHATAPP_STORE", "dynamodb");
        assertThatThrownBy(() -> LocalApiGateway.run(new String[] {"--chatapp.port=eighty"}, dynamodb, out))
                .isInstanceOf(LocalApiGateway.OperatorError.class).hasMessageContaining("CHATAPP_PORT")
                .hasMessageContaining("'eighty'");
        assertThatThrownBy(() -> LocalApiGateway.run(new String[] {"--chatapp.port=70000"}, dynamodb, out))
                .isInstanceOf(LocalApiGateway.OperatorError.class).hasMessageContaining("CHATAPP_PORT");
        assertThatThrownBy(() -> LocalApiGateway.run(new String[] {"--chatapp.dynamodb-endpoint=not a url"}, dynamodb, out))
                .isInstanceOf(LocalApiGateway.OperatorError.class).hasMessageContaining("CHATAPP_DYNAMODB_ENDPOINT");
    }

    @Test
    void aPortInUseIsRefusedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalApiGateway.run(new String[] {"--chatapp.port=" + taken.getLocalPort()},
                    Map.of("CHATAPP_STORE", "dynamodb"), out))
                    .isInstanceOf(LocalApiGateway.OperatorError.class)
                    .hasMessage("port " + taken.getLocalPort() + " is already in use (set CHATAPP_PORT)");
        }
    }

    @Test
    void anArgumentThatIsNoSettingIsAUsageError() {
        assertThatThrownBy(() -> LocalApiGateway.run(new String[] {"serve"}, Map.of("CHATAPP_STORE", "dynamodb"), out))
                .isInstanceOf(LocalApiGateway.UsageError.class).hasMessageContaining("'serve'");
    }
}
