package chatapp.notification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ChatApp's emails say (docs/notifications.md, "Email"): plain text and simple HTML with
 * the same words; never a message's text, only who wrote and a link to the app. Links to the web
 * client carry their token after {@code #}, which browsers never send to a server, so it appears
 * in no access log or Referer.
 *
 * @param appUrl the web client's public address without a trailing slash, e.g. {@code https://chat.example.org}
 */
public record EmailTexts(String appUrl) {

    /** The API's path under {@link #appUrl} (API.md). */
    static final String API = "/api/v1";

    public EmailTexts {
        if (appUrl == null || appUrl.isBlank()) {
            throw new IllegalArgumentException("the app's public address is required for the links in emails");
        }
        appUrl = appUrl.endsWith("/") ? appUrl.substring(0, appUrl.length() - 1) : appUrl;
    }

    Email verification(String to, String username, String token) {
        String link = appUrl + "/#verify-email=" + token;
        return email(to, "Confirm your email address for ChatApp",
                "Hello " + username + ",\n\nPlease confirm that this is your email address by opening this link "
                        + "(it works once, for 24 hours):\n\n" + link
                        + "\n\nIf you did not sign up for ChatApp, you can ignore this email.\n",
                "<p>Hello " + html(username) + ",</p><p>Please confirm that this is your email address: "
                        + "<a href=\"" + html(link) + "\">confirm my address</a> (it works once, for 24 hours).</p>"
                        + "<p>If you did not sign up for ChatApp, you can ignore this email.</p>",
                Map.of());
    }

    Email signUpAttempt(String to, String username) {
        String link = appUrl + "/#forgot-password";
        return email(to, "Someone tried to sign up to ChatApp with your address",
                "Hello " + username + ",\n\nSomeone just tried to create a ChatApp account with this email address, "
                        + "which already belongs to your account. Nothing was changed.\n\nIf it was you and you have "
                        + "forgotten your password, you can set a new one here:\n\n" + link + "\n",
                "<p>Hello " + html(username) + ",</p><p>Someone just tried to create a ChatApp account with this "
                        + "email address, which already belongs to your account. Nothing was changed.</p><p>If it was "
                        + "you and you have forgotten your password, <a href=\"" + html(link) + "\">set a new one</a>.</p>",
                Map.of());
    }

    Email passwordReset(String to, String username, String token) {
        String link = appUrl + "/#reset-password=" + token;
        return email(to, "Set a new password for ChatApp",
                "Hello " + username + ",\n\nSomeone (we hope you) asked to set a new password for your ChatApp "
                        + "account. Open this link to choose one (it works once, for 30 minutes):\n\n" + link
                        + "\n\nSetting a new password signs you out everywhere. If you did not ask, ignore this "
                        + "email: your password stays as it is.\n",
                "<p>Hello " + html(username) + ",</p><p>Someone (we hope you) asked to set a new password for your "
                        + "ChatApp account: <a href=\"" + html(link) + "\">choose a new password</a> (it works once, "
                        + "for 30 minutes).</p><p>Setting a new password signs you out everywhere. If you did not "
                        + "ask, ignore this email: your password stays as it is.</p>",
                Map.of());
    }

    Email unread(String to, String senderName, String unsubscribeToken) {
        String link = appUrl + "/";
        return email(to, "You have a new message from " + senderName + " on ChatApp",
                "You have a new message from " + senderName + " on ChatApp.\n\nRead it in the app: " + link
                        + footer(unsubscribeToken),
                "<p>You have a new message from " + html(senderName) + " on ChatApp.</p><p><a href=\"" + html(link)
                        + "\">Open ChatApp</a></p>" + htmlFooter(unsubscribeToken),
                unsubscribeHeaders(unsubscribeToken));
    }

    Email summary(String to, int conversations, String unsubscribeToken) {
        String link = appUrl + "/";
        String what = conversations == 1 ? "1 conversation has unread messages"
                : conversations + " conversations have unread messages";
        return email(to, what + " on ChatApp",
                "While your quiet hours were on, " + what + " on ChatApp.\n\nRead them in the app: " + link
                        + footer(unsubscribeToken),
                "<p>While your quiet hours were on, " + what + " on ChatApp.</p><p><a href=\"" + html(link)
                        + "\">Open ChatApp</a></p>" + htmlFooter(unsubscribeToken),
                unsubscribeHeaders(unsubscribeToken));
    }

    /** The one-click unsubscribe address (RFC 8058): an https URL carrying the signed token. */
    String unsubscribeUrl(String token) {
        return appUrl + API + "/unsubscribe?token=" + token;
    }

    private String footer(String token) {
        return "\n\nTo get no more emails like this: " + unsubscribeUrl(token)
                + "\n(or change your notification settings in the app).\n";
    }

    private String htmlFooter(String token) {
        return "<p style=\"font-size:small\">You get this email because email notifications are on. "
                + "<a href=\"" + html(unsubscribeUrl(token)) + "\">Unsubscribe</a> or change your notification "
                + "settings in the app.</p>";
    }

    private Map<String, String> unsubscribeHeaders(String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + unsubscribeUrl(token) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return headers;
    }

    private static Email email(String to, String subject, String text, String body, Map<String, String> headers) {
        return new Email(to, subject, text, "<!doctype html><html><body style=\"font-family:sans-serif\">" + body
                + "</body></html>", headers);
    }

    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
