package chatapp.server.notification;

import chatapp.account.Accounts;
import chatapp.account.UserStore;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatStore;
import chatapp.notification.EmailTexts;
import chatapp.notification.EmailVerification;
import chatapp.notification.Mailer;
import chatapp.notification.PasswordReset;
import chatapp.notification.ReminderQueue;
import chatapp.notification.UnreadReminders;
import chatapp.notification.UnsubscribeTokens;
import chatapp.realtime.TicketStore;
import chatapp.server.OperatorError;
import chatapp.server.security.SigningKeys;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Wires email (docs/notifications.md, "Email"): SMTP when {@code chatapp.email.smtp-host} is set,
 * else {@link Mailer#OFF} (said once at start, one INFO line); verification, password reset and
 * unread-message reminders from core; the poller that runs due reminders on one machine.
 */
@Configuration(proxyBeanMethods = false)
class EmailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmailConfiguration.class);

    @Bean
    Mailer mailer(EmailProperties p) {
        if (!p.on()) {
            log.info("email is off (no CHATAPP_EMAIL_SMTP_HOST): no verification, password reset or unread-message emails");
            return Mailer.OFF;
        }
        if (p.appUrl() == null || p.appUrl().isBlank() || p.from() == null || p.from().isBlank()) {
            throw new OperatorError("email needs CHATAPP_EMAIL_APP_URL (the links in emails) and "
                    + "CHATAPP_EMAIL_FROM (the sender) besides CHATAPP_EMAIL_SMTP_HOST");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(p.smtpHost());
        sender.setPort(p.smtpPort());
        sender.setDefaultEncoding("UTF-8");
        Properties props = new Properties();
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.writetimeout", "10000");
        if (p.starttls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        if (p.smtpUsername() != null && !p.smtpUsername().isBlank()) {
            sender.setUsername(p.smtpUsername());
            sender.setPassword(p.smtpPassword());
            props.put("mail.smtp.auth", "true");
        }
        sender.setJavaMailProperties(props);
        log.info("email is on: SMTP {}:{}", p.smtpHost(), p.smtpPort());
        return new SmtpMailer(sender, p.from());
    }

    private static EmailTexts texts(EmailProperties p) {
        return p.on() ? new EmailTexts(p.appUrl()) : null;
    }

    @Bean
    UnsubscribeTokens unsubscribeTokens(SigningKeys keys) {
        return new UnsubscribeTokens(keys.unsubscribeKey());
    }

    /** Where email reads preferences from (the push work's store). */
    @Bean
    PreferencesLookup preferencesLookup(chatapp.notification.NotificationStore store) {
        return new PreferencesLookup(store);
    }

    @Bean
    EmailVerification emailVerification(UserStore users, TicketStore links, chatapp.core.RateLimitStore limits,
            Mailer mailer, EmailProperties p, Clock clock) {
        return new EmailVerification(users, links, limits, mailer, texts(p), clock);
    }

    @Bean
    PasswordReset passwordReset(Accounts accounts, UserStore users, TicketStore links, Mailer mailer,
            EmailProperties p, Clock clock) {
        return new PasswordReset(accounts, users, links, mailer, texts(p), clock);
    }

    @Bean(destroyMethod = "close")
    UnreadReminders unreadReminders(ReminderQueue queue, ChatStore chats, UserStore users, PreferencesLookup prefs,
            Mailer mailer, EmailProperties p, UnsubscribeTokens unsubscribe, Clock clock) {
        return new UnreadReminders(queue, chats, users, prefs, mailer, texts(p), unsubscribe, clock);
    }

    @Bean(destroyMethod = "close")
    ReminderPoller reminderPoller(ReminderQueue queue, UnreadReminders reminders, Clock clock, EmailProperties p) {
        return new ReminderPoller(queue, reminders, clock, p.reminderPoll());
    }

    @Bean
    MessageListener unreadMessageListener(UnreadReminders reminders) {
        return new MessageListener(reminders);
    }

    /**
     * Hands each stored message to {@link UnreadReminders} (Spring event, after the commit): queued
     * on its own thread, so the sender's ack or 201 never waits for the preferences read or the
     * queue write. Its bean closes before the stores, queuing what is still waiting.
     */
    static final class MessageListener {

        private final UnreadReminders reminders;

        MessageListener(UnreadReminders reminders) {
            this.reminders = reminders;
        }

        @EventListener
        void on(ChatEvent.MessageStored e) {
            reminders.on(e);
        }
    }
}
