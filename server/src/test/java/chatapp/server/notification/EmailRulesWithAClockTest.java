package chatapp.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.Accounts;
import chatapp.account.PasswordHashing;
import chatapp.account.Registration;
import chatapp.account.Sessions;
import chatapp.account.User;
import chatapp.chat.ChatService;
import chatapp.chat.Content;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.SettableClock;
import chatapp.embedded.EmbeddedShape;
import chatapp.notification.EmailTexts;
import chatapp.notification.EmailVerification;
import chatapp.notification.PasswordReset;
import chatapp.notification.Preferences;
import chatapp.notification.Reminder;
import chatapp.notification.UnreadReminders;
import chatapp.notification.UnsubscribeTokens;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Email's rules against time, with an injected clock, on a real SQLite store and a real SMTP
 * server (GreenMail): a verification link expires after 24 h, a reset link after 30 min; quiet
 * hours hold reminders back and a summary follows them.
 */
class EmailRulesWithAClockTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T08:00:00Z"));
    private GreenMail mail;
    private SmtpMailer mailer;
    private EmbeddedShape shape;
    private Accounts accounts;
    private final EmailTexts texts = new EmailTexts("https://chat.example.org");

    @BeforeEach
    void start() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(mail.getSmtp().getPort());
        mailer = new SmtpMailer(sender, "ChatApp <no-reply@chat.example.org>");
        shape = EmbeddedShape.open(Files.createTempDirectory("chatapp-email").resolve("data"), true, clock);
        PasswordHashing hashing = new PasswordHashing(raw -> "{test}" + raw, (raw, hash) -> hash.equals("{test}" + raw),
                hash -> false);
        accounts = new Accounts(shape.users(), new Sessions(shape.sessions(), clock), hashing,
                new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()), clock);
    }

    @AfterEach
    void stop() {
        mailer.close();
        shape.close();
        mail.stop();
    }

    private void at(Instant t) {
        clock.advance(Duration.between(clock.instant(), t));
    }

    private User account(String name, String type) {
        return accounts.register(new Registration(name, name + "@example.org", "Tidy-Lantern-Orbit-42", type,
                type.equals("therapist") ? "Speech therapy" : null, type.equals("parent") ? 1 : null)).user();
    }

    private List<MimeMessage> received(int n) throws Exception {
        assertThat(mail.waitForIncomingEmail(10_000, n)).as(n + " emails").isTrue();
        return List.of(mail.getReceivedMessages());
    }

    private static String token(MimeMessage m, String kind) {
        Matcher matcher = Pattern.compile("#" + kind + "=([A-Za-z0-9_-]+)").matcher(GreenMailUtil.getBody(m));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void aVerificationLinkWorksFor24HoursOnly() throws Exception {
        EmailVerification verification = new EmailVerification(shape.users(), shape.tickets(), shape.rateLimits(), mailer, texts,
                clock);
        User u = account("Vera", "parent");
        verification.send(u);
        verification.send(u);
        List<MimeMessage> two = received(2);
        String late = token(two.get(0), "verify-email");
        String inTime = token(two.get(1), "verify-email");

        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(verification.verify(inTime)).isEqualTo(u.userId());
        assertThat(verification.verified(u.userId())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> verification.verify(late)).isInstanceOf(ChatAppException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aResetLinkWorksFor30MinutesOnly() throws Exception {
        PasswordReset reset = new PasswordReset(accounts, shape.users(), shape.tickets(), mailer, texts, clock);
        User u = account("Rosa", "parent");
        assertThat(reset.request(u.email())).contains(u.userId());
        assertThat(reset.request("nobody@example.org")).isEmpty();
        String token = token(received(1).getFirst(), "reset-password");

        clock.advance(Duration.ofMinutes(30));
        assertThatThrownBy(() -> reset.confirm(token, "Quiet-Harbour-Maple-77")).isInstanceOf(ChatAppException.class)
                .hasMessageContaining("expired");

        reset.request(u.email());
        String fresh = token(received(2).get(1), "reset-password");
        clock.advance(Duration.ofMinutes(29));
        assertThat(reset.confirm(fresh, "Quiet-Harbour-Maple-77").userId()).isEqualTo(u.userId());
        accounts.login(u.email(), "Quiet-Harbour-Maple-77");
    }

    @Test
    void nothingIsSentInQuietHoursAndASummaryFollowsThem() throws Exception {
        // quiet 22:00-07:00 in Oslo (UTC+1 in March): from 21:00 to 06:00 UTC
        Preferences quiet = new Preferences(true, true, true, Duration.ofMinutes(15), ZoneId.of("Europe/Oslo"),
                LocalTime.of(22, 0), LocalTime.of(7, 0), null, null, null, null);
        UnreadReminders reminders = new UnreadReminders(shape.reminders(), shape.chats(), shape.users(), id -> quiet,
                mailer, texts, new UnsubscribeTokens("an unsubscribe key of at least 32 bytes!".getBytes()), clock);
        ChatService chat = new ChatService(shape.chats(), shape.users(),
                new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()), clock, e -> {
                    if (e instanceof chatapp.chat.ChatEvent.MessageStored stored) {
                        reminders.messageStored(stored.message());
                    }
                });
        User therapist = account("Olsen", "therapist");
        User parent = account("Pia", "parent");
        User parent2 = account("Per", "parent");
        shape.users().markEmailVerified(therapist.userId());

        at(Instant.parse("2026-03-02T20:50:00Z")); // 21:50 in Oslo
        String c1 = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.send(parent.userId(), c1, "m1", Content.text("hello from Pia"));
        String c2 = chat.open(parent2.userId(), therapist.userId()).conversation().conversationId();
        chat.send(parent2.userId(), c2, "m2", Content.text("hello from Per"));

        at(Instant.parse("2026-03-02T21:10:00Z")); // 22:10: both reminders due, in quiet hours
        List<Reminder> due = shape.reminders().due(clock.instant(), 10);
        assertThat(due).hasSize(2);
        for (Reminder r : due) {
            assertThat(reminders.run(r)).isEqualTo(UnreadReminders.Outcome.SUMMARY_QUEUED);
        }
        Reminder summary = shape.reminders().due(Instant.parse("2026-03-03T06:00:00Z"), 10).getFirst();
        assertThat(summary.conversationId()).isNull();
        assertThat(summary.dueAt()).isEqualTo(Instant.parse("2026-03-03T06:00:00Z")); // 07:00 in Oslo
        assertThat(shape.reminders().due(Instant.parse("2026-03-03T05:59:59Z"), 10)).isEmpty();

        at(Instant.parse("2026-03-03T06:00:00Z"));
        assertThat(reminders.run(summary)).isEqualTo(UnreadReminders.Outcome.SENT);
        MimeMessage m = received(1).getFirst();
        assertThat(m.getSubject()).isEqualTo("2 conversations have unread messages on ChatApp");
        assertThat(GreenMailUtil.getWholeMessage(m)).doesNotContain("hello from");
        assertThat(m.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
    }
}
