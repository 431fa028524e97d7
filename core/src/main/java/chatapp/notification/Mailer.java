package chatapp.notification;

/**
 * Port: hands an {@link Email} to the outgoing mail server (SMTP; Amazon SES's SMTP interface in
 * the AWS shape). The server's adapter is Spring's mail support; a shape without SMTP settings
 * uses {@link #OFF}. A failure to deliver is the adapter's to log (without the address or any
 * link) and never reaches the caller: an email is a courtesy, the request that caused it has
 * already succeeded.
 */
public interface Mailer {

    /** No SMTP settings: nothing is sent (ChatApp runs as without email, docs/notifications.md). */
    Mailer OFF = new Mailer() {
        @Override
        public void send(Email email) {
        }

        @Override
        public boolean on() {
            return false;
        }
    };

    /** Sends the email, or queues it to be sent shortly. */
    void send(Email email);

    /** Whether emails go anywhere; false only for {@link #OFF}. */
    default boolean on() {
        return true;
    }
}
