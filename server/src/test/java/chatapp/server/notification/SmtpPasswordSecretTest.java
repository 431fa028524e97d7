package chatapp.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.aws.MotoServer;
import chatapp.notification.Email;
import chatapp.notification.Mailer;
import chatapp.server.AwsTestEnvironment;
import chatapp.server.DynamoShape;
import chatapp.server.OperatorError;
import chatapp.server.RunningServer;
import chatapp.server.cli.ChatApp;
import com.icegreen.greenmail.util.GreenMail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS shape keeps the SMTP password in Secrets Manager ({@code CHATAPP_EMAIL_SMTP_PASSWORD_SECRET},
 * docs/deploy-aws.md, "Email"): the server reads it at start, as the signing key's, and signs in
 * to SMTP with it; a secret it cannot read is the operator's one-line mistake. Secrets Manager is
 * moto's, SMTP GreenMail's (which refuses a wrong password).
 */
class SmtpPasswordSecretTest {

    private static final String PROPERTY = "aws.endpointUrlSecretsManager";
    private GreenMail mail;
    private String endpointBefore;

    @BeforeEach
    void start() {
        MotoServer moto = MotoServer.get();
        AwsTestEnvironment.use(moto);
        endpointBefore = System.getProperty(PROPERTY);
        // what AWS_ENDPOINT_URL_SECRETS_MANAGER does for a separate process (the SDK's default chain)
        System.setProperty(PROPERTY, moto.endpoint().toString());
        mail = EmailEndpointsTest.startMail();
        mail.setUser("no-reply@chat.example.org", "ses-smtp-user", "the-smtp-password");
    }

    @AfterEach
    void stop() {
        mail.stop();
        if (endpointBefore == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, endpointBefore);
        }
    }

    private static String secret(String value) {
        MotoServer moto = MotoServer.get();
        String name = "chatapp/smtp-" + System.nanoTime();
        try (SecretsManagerClient secrets = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(MotoServer.REGION).credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint())
                .build()) {
            secrets.createSecret(b -> b.name(name).secretString(value));
        }
        return name;
    }

    private RunningServer server(String secret) {
        List<String> args = new ArrayList<>(List.of(EmailEndpointsTest.emailArgs(mail)));
        args.add("--chatapp.email.smtp-username=ses-smtp-user");
        args.add("--chatapp.email.smtp-password-secret=" + secret);
        return DynamoShape.server(args.toArray(String[]::new));
    }

    private void sendOne(RunningServer server) throws Exception {
        server.beforeAll(null);
        try {
            server.context().getBean(Mailer.class).send(new Email("someone@example.org", "Check", "text", "<p>html</p>",
                    Map.of()));
            mail.waitForIncomingEmail(3_000, 1);
        } finally {
            server.afterAll(null);
        }
    }

    @Test
    void theServerSignsInWithThePasswordFromTheSecret() throws Exception {
        sendOne(server(secret("not-the-password")));
        assertThat(mail.getReceivedMessages()).as("a wrong password gets nothing through").isEmpty();
        sendOne(server(secret("the-smtp-password")));
        assertThat(mail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aSecretThatCannotBeReadStopsTheStartWithOneLine() {
        List<String> args = new ArrayList<>(List.of(EmailEndpointsTest.emailArgs(mail)));
        args.add("--chatapp.email.smtp-password-secret=chatapp/no-such-secret");
        assertThatThrownBy(() -> ChatApp.serve(args.toArray(String[]::new))).isInstanceOf(OperatorError.class)
                .hasMessageStartingWith("CHATAPP_EMAIL_SMTP_PASSWORD_SECRET: ").hasMessageContaining("chatapp/no-such-secret");
    }
}
