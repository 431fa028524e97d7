package chatapp.lambda;

import chatapp.notification.Email;
import chatapp.notification.Mailer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Mailer} for the Lambda functions, on Jakarta Mail (Angus) without Spring: SMTP, Amazon
 * SES's SMTP interface in AWS. Sends before the invocation returns (a Lambda may be frozen
 * after). A failure is logged with the subject only and does not fail the invocation (the
 * reminder has been claimed: at most one email).
 */
final class SmtpMail implements Mailer {

    private static final Logger log = LoggerFactory.getLogger(SmtpMail.class);

    private final Session session;
    private final String from;
    private final String username;
    private final String password;

    SmtpMail(String host, int port, String username, String password, boolean starttls, String from) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.writetimeout", "10000");
        if (starttls) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        boolean auth = username != null && !username.isBlank();
        p.put("mail.smtp.auth", Boolean.toString(auth));
        this.session = Session.getInstance(p);
        this.from = from;
        this.username = auth ? username : null;
        this.password = password;
    }

    @Override
    public void send(Email email) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to()));
            m.setSubject(email.subject(), "UTF-8");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(email.html(), "text/html; charset=UTF-8");
            m.setContent(new MimeMultipart("alternative", text, html));
            for (Map.Entry<String, String> h : email.headers().entrySet()) {
                m.setHeader(h.getKey(), h.getValue());
            }
            if (username == null) {
                Transport.send(m);
            } else {
                Transport.send(m, username, password);
            }
        } catch (MessagingException e) {
            log.warn("could not send an email ({}): {}", email.subject(), e.getClass().getSimpleName());
        }
    }
}
