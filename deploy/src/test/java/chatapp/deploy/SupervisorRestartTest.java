package chatapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.JsonNode;

/**
 * The Supervisor program of {@code deploy/} keeps the server up without losing what it
 * acknowledged: supervisord (Debian's package) runs the built {@code chatapp-exec.jar} with the
 * shipped program; a client keeps sending messages over REST (retrying each with its
 * {@code clientMessageId} until it is acknowledged, as API.md tells clients to); the JVM is
 * killed with {@code kill -9}; Supervisor starts it again, it becomes ready, and every
 * acknowledged message is there, once.
 *
 * <p>Two shapes: {@code aws} is {@code deploy/chatapp.env} as shipped (DynamoDB, S3, API Gateway,
 * the signing key from Secrets Manager), with moto standing in for AWS; {@code one-machine} is the
 * same program on the SQLite shape, where surviving {@code kill -9} is the store's own promise.
 */
class SupervisorRestartTest {

    private static final Duration READY = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aws", "one-machine"})
    void afterKill9SupervisorBringsTheServerBackWithEveryAcknowledgedMessage(String shape) throws Exception {
        int port = SupervisedServer.freePort();
        Map<String, String> env = shape.equals("aws") ? awsShape(port) : oneMachineShape(port);
        // The sender sends as fast as the server answers, faster than a person may (docs/security.md, "Limits").
        env.put("CHATAPP_LIMITS_MESSAGES_PER_MINUTE", "100000000");
        env.put("CHATAPP_LIMITS_MESSAGE_BURST", "100000000");
        // The JIT's first tier only, as in every JVM the tests start (docs/decisions/0071-test-suite-time.md):
        // through the environment, so that the program's command line stays the shipped one.
        String childJvm = System.getProperty("chatapp.test.childJvm", "").strip();
        if (!childJvm.isEmpty()) {
            env.put("JDK_JAVA_OPTIONS", childJvm);
        }

        try (SupervisedServer supervised = SupervisedServer.start(tmp, port, env)) {
            supervised.awaitReady(READY);
            ProcessHandle first = supervised.server().orElseThrow(() -> new AssertionError("no JVM under supervisord"));

            ChatClient chat = new ChatClient(supervised.uri("/"));
            ChatClient.User parent = chat.register("parent");
            ChatClient.User therapist = chat.register("therapist");
            String conversation = chat.open(parent, therapist);
            Sender sender = new Sender(chat, List.of(parent, therapist), conversation);
            Thread.ofPlatform().name("sender").start(sender);
            sender.awaitAcknowledged(10, Duration.ofSeconds(120));

            supervised.kill9(first);

            supervised.awaitReady(READY);
            ProcessHandle second = supervised.server().orElseThrow(() -> new AssertionError("no JVM after the restart"));
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(supervised.supervisordLog()).contains("exited: chatapp (terminated by SIGKILL");
            sender.awaitAcknowledged(sender.acknowledged.size() + 10, Duration.ofSeconds(120));
            sender.stop();

            System.out.printf("%s: %d messages acknowledged, %d sends unanswered while the server was down%n",
                    shape, sender.acknowledged.size(), sender.unanswered.get());
            assertThat(sender.unanswered.get()).as("sends that got no answer while the server was down").isPositive();
            List<JsonNode> history = chat.history(therapist, conversation);
            Map<String, Long> copies = history.stream().collect(Collectors.groupingBy(
                    m -> m.path("clientMessageId").asString(), Collectors.counting()));
            assertThat(copies).as("no message stored twice").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            Map<String, String> stored = history.stream().collect(Collectors.toMap(
                    m -> m.path("clientMessageId").asString(), m -> m.path("messageId").asString()));
            assertThat(stored).as("every acknowledged message, with the id its ack gave")
                    .containsAllEntriesOf(sender.acknowledged);
            assertThat(stored).hasSameSizeAs(sender.acknowledged);
        }
    }

    /**
     * One client sending messages one after the other, alternating sides; each is retried with
     * the same {@code clientMessageId} until the server acknowledges it.
     */
    private static final class Sender implements Runnable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger unanswered = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ChatClient chat;
        private final List<ChatClient.User> sides;
        private final String conversation;
        private volatile Throwable failure;
        private volatile boolean done;

        Sender(ChatClient chat, List<ChatClient.User> sides, String conversation) {
            this.chat = chat;
            this.sides = sides;
            this.conversation = conversation;
        }

        @Override
        public void run() {
            try {
                for (int n = 0; !stop.get(); n++) {
                    String clientMessageId = "m" + n;
                    ChatClient.User from = sides.get(n % 2);
                    while (true) {
                        try {
                            acknowledged.put(clientMessageId, chat.send(from, conversation, clientMessageId, "message " + n));
                            break;
                        } catch (IOException e) {
                            unanswered.incrementAndGet();
                            Thread.sleep(100);
                        }
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
            }
        }

        void awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (acknowledged.size() < count) {
                if (failure != null) {
                    throw new AssertionError("the sender failed", failure);
                }
                assertThat(System.nanoTime()).as(count + " messages acknowledged within " + timeout
                        + " (have " + acknowledged.size() + ")").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** Stops after the message in flight is acknowledged. */
        void stop() throws InterruptedException {
            stop.set(true);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done) {
                assertThat(System.nanoTime()).as("the sender stops").isLessThan(deadline);
                Thread.sleep(20);
            }
            if (failure != null) {
                throw new AssertionError("the sender failed", failure);
            }
        }
    }

    /**
     * {@code deploy/chatapp.env} with each placeholder filled in for this machine and the endpoint
     * overrides that point the AWS SDK at moto, after the operator's steps of docs/deploy-aws.md:
     * the signing key as a secret, {@code create-tables}. The shape itself (store, media,
     * real-time) is kept as shipped.
     */
    private Map<String, String> awsShape(int port) throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        Map<String, String> shipped = SupervisedServer.shippedEnvironment();
        assertThat(shipped).containsEntry("CHATAPP_STORE", "dynamodb").containsEntry("CHATAPP_MEDIA", "s3")
                .containsEntry("CHATAPP_REALTIME", "apigateway").containsKey("CHATAPP_SIGNING_KEY_SECRET")
                .doesNotContainKey("CHATAPP_SIGNING_KEY");
        Map<String, String> env = new LinkedHashMap<>(shipped);
        String endpoint = moto.endpoint().toString();
        env.put("AWS_REGION", MotoServer.REGION.id());
        env.put("CHATAPP_PORT", Integer.toString(port));
        env.put("CHATAPP_DATA_DIR", tmp.resolve("data").toString());
        env.put("CHATAPP_TABLE_PREFIX", "supervised-");
        env.put("CHATAPP_S3_BUCKET", "supervised-media");
        // Nothing listens there: REST must not depend on fan-out succeeding.
        env.put("CHATAPP_APIGATEWAY_ENDPOINT", "http://127.0.0.1:" + SupervisedServer.freePort());
        env.put("CHATAPP_WEBSOCKET_URL", "ws://127.0.0.1:" + SupervisedServer.freePort());
        env.put("CHATAPP_ALLOWED_ORIGINS", "http://localhost");
        env.put("CHATAPP_SIGNING_KEY_SECRET", "chatapp/supervised/signing-key");
        // MessageRetentionDays 0 (the default): the template writes it empty, which keeps messages for ever
        env.put("CHATAPP_RETENTION_MESSAGES", "");
        env.put("CHATAPP_PUSH_VAPID_KEYS_SECRET", ""); // the stack's default: no Web Push
        env.put("CHATAPP_PUSH_SUBJECT", "mailto:ops@example.org");
        // EmailSmtpHost empty (the default): no email; the other email values as the stack writes them then
        for (String empty : List.of("SMTP_HOST", "SMTP_USERNAME", "SMTP_PASSWORD_SECRET", "FROM", "REMINDER_FUNCTION_ARN",
                "REMINDER_ROLE_ARN")) {
            env.put("CHATAPP_EMAIL_" + empty, "");
        }
        env.put("CHATAPP_EMAIL_SMTP_PORT", "587");
        env.put("CHATAPP_EMAIL_APP_URL", "https://chat.example.org");
        // What an EC2 instance gets from its role and from AWS itself:
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("CHATAPP_DYNAMODB_ENDPOINT", endpoint);
        env.put("CHATAPP_S3_ENDPOINT", endpoint);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint);
        env.put("AWS_ENDPOINT_URL_S3", endpoint);
        // Plain log lines are easier to read in a failed test's output.
        env.remove("LOGGING_STRUCTURED_FORMAT_CONSOLE");

        createSigningKeySecret(moto, env.get("CHATAPP_SIGNING_KEY_SECRET"));
        Checkout.Result tables = Checkout.run(List.of(Checkout.java().toString(), "-jar",
                Checkout.serverJar().toString(), "create-tables"), env, 180);
        assertThat(tables.status()).as(tables.output()).isZero();
        return env;
    }

    /** The same program on the one-machine shape: SQLite and media under the data directory. */
    private Map<String, String> oneMachineShape(int port) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CHATAPP_PORT", Integer.toString(port));
        env.put("CHATAPP_DATA_DIR", tmp.resolve("data").toString());
        return env;
    }

    private static void createSigningKeySecret(MotoServer moto, String name) {
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
