package chatapp.server.shape;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.RunningServer;
import chatapp.server.cli.ChatApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The AWS store shape, chosen by configuration alone, against a real moto server. */
class DynamoShapeTest {

    @Test
    void createTablesIsIdempotentAndAServerOnDynamoDbBecomesReady() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        AwsTestEnvironment.use(moto);
        String endpoint = "--chatapp.dynamodb-endpoint=" + moto.endpoint();
        String prefix = "--chatapp.table-prefix=shape-";

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(ChatApp.run(new String[] {"create-tables", endpoint, prefix}, print, print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("created shape-users").contains("shape-WebSocketConnections");
        out.reset();
        assertThat(ChatApp.run(new String[] {"create-tables", endpoint, prefix}, print, print)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("all tables exist");

        RunningServer server = new RunningServer("--chatapp.store=dynamodb", endpoint, prefix,
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY);
        server.beforeAll(null);
        try {
            var ready = server.get("/actuator/health/readiness", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"");
        } finally {
            server.afterAll(null);
        }
    }

    @Test
    void aServerWhoseTablesAreMissingIsNotReady() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        AwsTestEnvironment.use(moto);
        RunningServer server = new RunningServer("--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(), "--chatapp.table-prefix=missing-",
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY);
        server.beforeAll(null);
        try {
            var ready = server.get("/actuator/health/readiness", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(server.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        } finally {
            server.afterAll(null);
        }
    }
}
