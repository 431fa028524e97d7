package chatapp.server.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Email settings ({@code chatapp.email.*}, e.g. {@code CHATAPP_EMAIL_SMTP_HOST}; README,
 * "Configuration"; docs/notifications.md, "Email"). Without {@code smtpHost} email is off and
 * ChatApp runs as without it. Amazon SES: its SMTP endpoint ({@code email-smtp.<region>.amazonaws.com},
 * port 587, STARTTLS) with SMTP credentials made for an IAM user.
 *
 * @param smtpHost the outgoing mail server; blank: email off
 * @param smtpPort 587 (submission with STARTTLS) unless told
 * @param smtpUsername null or blank: no authentication
 * @param smtpPassword the SMTP password (SES: the SMTP credential, not the IAM secret key)
 * @param smtpPasswordSecret name or ARN of a Secrets Manager secret holding the SMTP password, read
 *     at start (by the command line, as the signing key's) when {@code smtpPassword} is not set:
 *     the AWS shape keeps the password out of the configuration
 * @param starttls require STARTTLS (on by default; tests against a local server turn it off)
 * @param from the sender address, e.g. {@code ChatApp <no-reply@chat.example.org>}
 * @param appUrl the web client's public address, for the links in emails, e.g. {@code https://chat.example.org}
 * @param reminderPoll how often the one-machine server looks for due unread-message reminders
 * @param reminderFunctionArn AWS shape: the reminder Lambda EventBridge Scheduler invokes (read by
 *     {@code chatapp.server.shape.ShapeConfiguration})
 * @param reminderRoleArn AWS shape: the role Scheduler invokes it with
 */
@ConfigurationProperties("chatapp.email")
record EmailProperties(
        String smtpHost,
        @DefaultValue("587") int smtpPort,
        String smtpUsername,
        String smtpPassword,
        String smtpPasswordSecret,
        @DefaultValue("true") boolean starttls,
        String from,
        String appUrl,
        @DefaultValue("30s") Duration reminderPoll,
        String reminderFunctionArn,
        String reminderRoleArn) {

    boolean on() {
        return smtpHost != null && !smtpHost.isBlank();
    }

    @Override
    public String toString() {
        return "EmailProperties[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + "]"; // no password
    }
}
