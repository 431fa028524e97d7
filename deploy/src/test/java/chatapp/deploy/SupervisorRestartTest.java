package chatapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Supervisor program of {@code deploy/} keeps the server up: supervisord (Debian's package)
 * runs the built {@code chatapp-exec.jar} in the AWS shape of {@code deploy/chatapp.env}, with
 * moto standing in for DynamoDB and Secrets Manager; after {@code kill -9} of the JVM, Supervisor
 * starts it again and it becomes ready.
 */
class SupervisorRestartTest {

    private static final Duration READY = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @Test
    void afterKill9SupervisorBringsTheServerBackToReadiness() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        int port = SupervisedServer.freePort();
        Map<String, String> env = awsShapeOnThisMachine(moto, port, tmp.resolve("data"));
        createSigningKeySecret(moto, env.get("CHATAPP_SIGNING_KEY_SECRET"));

        // The operator's step before the first start (docs/deploy-aws.md).
        Checkout.Result tables = Checkout.run(List.of(Checkout.java().toString(), "-jar",
                Checkout.serverJar().toString(), "create-tables"), env, 180);
        assertThat(tables.status()).as(tables.output()).isZero();

        try (SupervisedServer supervised = SupervisedServer.start(tmp, port, env)) {
            supervised.awaitReady(READY);
            ProcessHandle first = supervised.server().orElseThrow(() -> new AssertionError("no JVM under supervisord"));

            supervised.kill9(first);

            supervised.awaitReady(READY);
            ProcessHandle second = supervised.server().orElseThrow(() -> new AssertionError("no JVM after the restart"));
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(supervised.supervisordLog()).contains("exited: chatapp (terminated by SIGKILL");
        }
    }

    /**
     * {@code deploy/chatapp.env} with each placeholder filled in for this machine and the endpoint
     * overrides that point the AWS SDK at moto. The shape itself (store, media, real-time) is kept
     * as shipped.
     */
    static Map<String, String> awsShapeOnThisMachine(MotoServer moto, int port, Path dataDir) throws Exception {
        Map<String, String> shipped = SupervisedServer.shippedEnvironment();
        assertThat(shipped).containsEntry("CHATAPP_STORE", "dynamodb").containsEntry("CHATAPP_MEDIA", "s3")
                .containsEntry("CHATAPP_REALTIME", "apigateway").containsKey("CHATAPP_SIGNING_KEY_SECRET")
                .doesNotContainKey("CHATAPP_SIGNING_KEY");
        Map<String, String> env = new LinkedHashMap<>(shipped);
        String endpoint = moto.endpoint().toString();
        env.put("AWS_REGION", MotoServer.REGION.id());
        env.put("CHATAPP_PORT", Integer.toString(port));
        env.put("CHATAPP_DATA_DIR", dataDir.toString());
        env.put("CHATAPP_TABLE_PREFIX", "supervised-");
        env.put("CHATAPP_S3_BUCKET", "supervised-media");
        // Nothing listens there: REST must not depend on fan-out succeeding.
        env.put("CHATAPP_APIGATEWAY_ENDPOINT", "http://127.0.0.1:" + SupervisedServer.freePort());
        env.put("CHATAPP_WEBSOCKET_URL", "ws://127.0.0.1:" + SupervisedServer.freePort());
        env.put("CHATAPP_ALLOWED_ORIGINS", "http://localhost");
        env.put("CHATAPP_SIGNING_KEY_SECRET", "chatapp/supervised/signing-key");
        // What an EC2 instance gets from its role and from AWS itself:
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("CHATAPP_DYNAMODB_ENDPOINT", endpoint);
        env.put("CHATAPP_S3_ENDPOINT", endpoint);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint);
        // Plain log lines are easier to read in a failed test's output.
        env.remove("LOGGING_STRUCTURED_FORMAT_CONSOLE");
        return env;
    }

    static void createSigningKeySecret(MotoServer moto, String name) {
        try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(MotoServer.REGION)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).build()) {
            // What `openssl rand -base64 32` gives (docs/deploy-aws.md).
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            secrets.createSecret(b -> b.name(name).secretString(java.util.Base64.getEncoder().encodeToString(key)));
        }
    }
}
