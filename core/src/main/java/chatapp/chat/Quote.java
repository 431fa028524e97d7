package chatapp.chat;

/**
 * What a reply shows of the message it replies to (API.md, "Message" {@code quote}): that
 * message's id and sender, and a short excerpt of it as it is now. Stores keep only the id and
 * the sender with the reply and make the rest from the quoted message whenever they read the
 * reply, so an edit shows in the quote and a deleted message's text never does
 * (docs/decisions/0043-message-lifecycle.md).
 *
 * @param contentType the quoted message's: {@code text}, {@code image}, {@code video}, or
 *     {@code deleted} once it is deleted (also when retention removed it)
 * @param excerpt its text, cut after {@value #EXCERPT_CODE_POINTS} code points (then ending in
 *     "…"); "Photo" or "Video"; empty once it is deleted
 */
public record Quote(String messageId, String senderId, String contentType, String excerpt) {

    /** How much of a quoted text a reply shows, in Unicode code points. */
    public static final int EXCERPT_CODE_POINTS = 100;

    /** The quote of {@code quoted} as it is now. */
    public static Quote of(Message quoted) {
        return of(quoted.messageId(), quoted.senderId(), quoted.content());
    }

    /**
     * The quote of message {@code messageId} by {@code senderId} whose content is now
     * {@code content}; null {@code content}: the message no longer exists.
     */
    public static Quote of(String messageId, String senderId, Content content) {
        if (content == null || Content.DELETED.equals(content.contentType())) {
            return new Quote(messageId, senderId, Content.DELETED, "");
        }
        String excerpt = switch (content.contentType()) {
            case Content.IMAGE -> "Photo";
            case Content.VIDEO -> "Video";
            default -> excerpt(content.value());
        };
        return new Quote(messageId, senderId, content.contentType(), excerpt);
    }

    private static String excerpt(String text) {
        if (text.codePointCount(0, text.length()) <= EXCERPT_CODE_POINTS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, EXCERPT_CODE_POINTS)) + "…";
    }
}
