package chatapp.server.notification;

import chatapp.notification.Email;
import chatapp.notification.Mailer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * {@link Mailer} over SMTP with Spring's {@link JavaMailSender}. Emails go out on one background
 * thread, so a request that causes one (a sign-up, a reset) takes the same time whether or not an
 * email is sent, and a slow mail server never holds a request. The queue is bounded; past it an
 * email is dropped with a warning. Log lines name the subject only: never the address or a link.
 */
final class SmtpMailer implements Mailer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);
    private static final int QUEUE = 10_000;

    private final JavaMailSender sender;
    private final String from;
    private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "email");
                t.setDaemon(true);
                return t;
            });

    SmtpMailer(JavaMailSender sender, String from) {
        this.sender = sender;
        this.from = from;
    }

    @Override
    public void send(Email email) {
        try {
            thread.execute(() -> deliver(email));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("email dropped, the outgoing queue is full: {}", email.subject());
        }
    }

    private void deliver(Email email) {
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(from);
            helper.setTo(email.to());
            helper.setSubject(email.subject());
            helper.setText(email.text(), email.html());
            for (Map.Entry<String, String> h : email.headers().entrySet()) {
                message.setHeader(h.getKey(), h.getValue());
            }
            sender.send(message);
        } catch (MessagingException | MailException e) {
            log.warn("could not send an email ({}): {}", email.subject(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
