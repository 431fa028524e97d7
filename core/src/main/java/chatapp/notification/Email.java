package chatapp.notification;

import java.util.Map;
import java.util.Objects;

/**
 * One email as ChatApp sends it: plain text and a simple HTML alternative, never a message's
 * text (docs/notifications.md, "Email"). {@code headers} are extra header fields, e.g. RFC 8058's
 * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post}.
 *
 * @param to the recipient's (normalised) address
 */
public record Email(String to, String subject, String text, String html, Map<String, String> headers) {

    public Email {
        Objects.requireNonNull(to);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(text);
        Objects.requireNonNull(html);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "Email[subject=" + subject + "]"; // no address, no link (its token) in a log line
    }
}
