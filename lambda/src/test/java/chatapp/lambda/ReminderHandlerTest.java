package chatapp.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.aws.DynamoChatStore;
import chatapp.aws.DynamoFixture;
import chatapp.aws.DynamoReminderQueue;
import chatapp.aws.DynamoUserStore;
import chatapp.aws.EventBridgeReminders;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import chatapp.chat.Content;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.notification.Mailer;
import chatapp.notification.Preferences;
import chatapp.notification.Reminder;
import chatapp.notification.UnreadReminders;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/**
 * The AWS shape's unread-message email end to end on moto and a real SMTP server (GreenMail): a
 * message stored in DynamoDB queues a reminder whose one-time EventBridge schedule is created;
 * the reminder Lambda, invoked with that schedule's input as Scheduler would, sends one email, and
 * invoked again with the same input (Scheduler delivers at least once) sends nothing.
 */
class ReminderHandlerTest {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:chatapp-reminder";
    static final String ROLE = "arn:aws:iam::123456789012:role/chatapp-scheduler";

    private GreenMail mail;
    private SchedulerClient scheduler;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        scheduler = SchedulerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(dynamo.settings().region()).credentialsProvider(dynamo.settings().credentials())
                .endpointOverride(dynamo.settings().endpoint()).build();
    }

    @AfterEach
    void stop() {
        scheduler.close();
        mail.stop();
    }

    private static User user(UserType type) {
        String tag = Ids.random().substring(0, 8).replace('-', 'x').replace('_', 'y');
        return new User(Ids.random(), "user." + tag, "u." + tag.toLowerCase() + "@example.org", "{argon2}x", type,
                type == UserType.THERAPIST ? "Speech therapy" : null, type == UserType.PARENT ? 1 : null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private String invoke(ReminderHandler handler, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theScheduledReminderSendsOneEmailWhenTheLambdaIsInvokedTwice() throws Exception {
        DynamoUserStore users = new DynamoUserStore(dynamo.client(), dynamo.settings());
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        users.create(therapist);
        users.create(parent);
        users.markEmailVerified(therapist.userId());

        // what the server does when a message is stored: queue the reminder, which schedules it
        DynamoReminderQueue queue = new DynamoReminderQueue(dynamo.client(), dynamo.settings(),
                new EventBridgeReminders(() -> scheduler, FUNCTION, ROLE));
        UnreadReminders queuing = new UnreadReminders(queue, new DynamoChatStore(dynamo.client(), dynamo.settings()),
                users, id -> Preferences.defaults(), new Mailer() {
                    @Override
                    public void send(chatapp.notification.Email email) {
                        throw new AssertionError("queuing sends nothing");
                    }
                }, new chatapp.notification.EmailTexts("https://chat.example.org"),
                chatapp.notification.UnsubscribeTokens.fromSigningKey(new byte[32]), Clock.systemUTC());
        ChatService chat = new ChatService(new DynamoChatStore(dynamo.client(), dynamo.settings()), users,
                new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()), Clock.systemUTC(), e -> {
                    if (e instanceof ChatEvent.MessageStored stored) {
                        queuing.messageStored(stored.message());
                    }
                });
        String conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.send(parent.userId(), conversationId, "m1", Content.text("private words"));

        // the schedule in EventBridge Scheduler (moto): its input is what the Lambda gets
        var schedules = scheduler.listSchedules(b -> b.namePrefix("chatapp-reminder-")).schedules();
        List<String> inputs = new ArrayList<>();
        for (var s : schedules) {
            var got = scheduler.getSchedule(b -> b.name(s.name()));
            if (got.target().input().contains(therapist.userId())) {
                inputs.add(got.target().input());
                assertThat(got.target().arn()).isEqualTo(FUNCTION);
            }
        }
        assertThat(inputs).hasSize(1);

        Map<String, String> env = Map.of(
                "CHATAPP_EMAIL_SMTP_HOST", "127.0.0.1",
                "CHATAPP_EMAIL_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                "CHATAPP_EMAIL_STARTTLS", "false",
                "CHATAPP_EMAIL_FROM", "no-reply@chat.example.org",
                "CHATAPP_EMAIL_APP_URL", "https://chat.example.org",
                "CHATAPP_SIGNING_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        Wiring wiring = new Wiring(new Wiring.Settings(dynamo.settings(), null, null, null, List.of()));
        ReminderHandler handler = new ReminderHandler(wiring.reminders(env));

        assertThat(invoke(handler, inputs.getFirst())).isEqualTo("\"SENT\"");
        assertThat(invoke(handler, inputs.getFirst())).isEqualTo("\"ALREADY_RUN\"");

        assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage[] received = mail.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("You have a new message from " + parent.username() + " on ChatApp");
        assertThat(GreenMailUtil.getWholeMessage(received[0])).doesNotContain("private words");
        assertThat(received[0].getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
    }

    /**
     * The {@code $default} function queues the reminders of the messages it accepts, as the
     * server does: on {@code UnreadReminders}' thread, which the handler waits for before it
     * returns; ten messages of one conversation make one schedule (the count of queue writes
     * behind it: {@code EmailStoreContract}).
     */
    @Test
    void theDefaultFunctionQueuesOneScheduleForTheMessagesOfAConversation() {
        DynamoUserStore users = new DynamoUserStore(dynamo.client(), dynamo.settings());
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        users.create(therapist);
        users.create(parent);
        // no connection is open, so nothing is posted to the Management API
        Wiring wiring = new Wiring(new Wiring.Settings(dynamo.settings(), dynamo.settings().endpoint(), null, null,
                List.of()));
        wiring.queueRemindersWith(Map.of("CHATAPP_EMAIL_SMTP_HOST", "127.0.0.1",
                "CHATAPP_EMAIL_REMINDER_FUNCTION_ARN", FUNCTION, "CHATAPP_EMAIL_REMINDER_ROLE_ARN", ROLE));
        String conversationId = wiring.chat().open(parent.userId(), therapist.userId()).conversation().conversationId();
        wiring.chat().accept(therapist.userId(), conversationId);
        for (int i = 0; i < 10; i++) {
            wiring.chat().send(parent.userId(), conversationId, "m" + i, Content.text("message " + i));
            wiring.awaitNotifications(); // as DefaultHandler does after each frame
        }

        long schedules = scheduler.listSchedules(b -> b.namePrefix("chatapp-reminder-")).schedules().stream()
                .filter(s -> scheduler.getSchedule(b -> b.name(s.name())).target().input().contains(therapist.userId()))
                .count();
        assertThat(schedules).isEqualTo(1);
    }

    /**
     * The SMTP password of the AWS shape lives in Secrets Manager (CHATAPP_EMAIL_SMTP_PASSWORD_SECRET,
     * deploy/template.yaml): the reminder Lambda reads it on first use and signs in with it.
     */
    @Test
    void theLambdaSignsInToSmtpWithThePasswordFromSecretsManager() throws Exception {
        mail.setUser("no-reply@chat.example.org", "ses-smtp-user", "the-smtp-password");
        try (var secrets = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).region(dynamo.settings().region())
                .credentialsProvider(dynamo.settings().credentials()).endpointOverride(dynamo.settings().endpoint())
                .build()) {
            secrets.createSecret(b -> b.name("chatapp/smtp-right").secretString("the-smtp-password"));
            secrets.createSecret(b -> b.name("chatapp/smtp-wrong").secretString("not-the-password"));
        }
        DynamoUserStore users = new DynamoUserStore(dynamo.client(), dynamo.settings());
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        users.create(therapist);
        users.create(parent);
        users.markEmailVerified(therapist.userId());
        ChatService chat = new ChatService(new DynamoChatStore(dynamo.client(), dynamo.settings()), users,
                new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()), Clock.systemUTC(), e -> { });
        String conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.send(parent.userId(), conversationId, "m1", Content.text("private words"));

        // SigningKeySecret reads with the SDK's default chains, as in the Lambda (its role, its region)
        Map<String, String> properties = Map.of("aws.region", dynamo.settings().region().id(),
                "aws.accessKeyId", "test", "aws.secretAccessKey", "test",
                "aws.endpointUrlSecretsManager", dynamo.settings().endpoint().toString());
        Map<String, String> before = new java.util.HashMap<>();
        properties.forEach((k, v) -> {
            before.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        try {
            for (String secret : List.of("chatapp/smtp-wrong", "chatapp/smtp-right")) {
                DynamoReminderQueue queue = new DynamoReminderQueue(dynamo.client(), dynamo.settings(), r -> { });
                Reminder reminder = new Reminder(therapist.userId(), conversationId, Instant.now());
                assertThat(queue.schedule(reminder)).isTrue();
                Map<String, String> env = Map.of(
                        "CHATAPP_EMAIL_SMTP_HOST", "127.0.0.1",
                        "CHATAPP_EMAIL_SMTP_PORT", Integer.toString(mail.getSmtp().getPort()),
                        "CHATAPP_EMAIL_STARTTLS", "false",
                        "CHATAPP_EMAIL_SMTP_USERNAME", "ses-smtp-user",
                        "CHATAPP_EMAIL_SMTP_PASSWORD_SECRET", secret,
                        "CHATAPP_EMAIL_FROM", "no-reply@chat.example.org",
                        "CHATAPP_EMAIL_APP_URL", "https://chat.example.org",
                        "CHATAPP_SIGNING_KEY", Base64.getEncoder().encodeToString(new byte[32]));
                Wiring wiring = new Wiring(new Wiring.Settings(dynamo.settings(), null, null, null, List.of()));
                invoke(new ReminderHandler(wiring.reminders(env)), chatapp.aws.EventBridgeReminders.payload(reminder));
            }
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
        Thread.sleep(500); // the wrong password's email must not arrive late either
        assertThat(mail.getReceivedMessages()).as("only the run with the right password got through").hasSize(1);
    }
}
