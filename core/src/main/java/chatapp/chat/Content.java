package chatapp.chat;

/**
 * What a message says (API.md, "Message"): {@code contentType} is {@code text}, {@code image} or
 * {@code video}; for text {@code value} is the text, for a photo or video it is the
 * {@code mediaId} of an upload by the sender.
 */
public record Content(String contentType, String value) {

    /** The content type of a text message. */
    public static final String TEXT = "text";
    public static final String IMAGE = "image";
    public static final String VIDEO = "video";

    /**
     * The content type of a message whose sender deleted their account: a tombstone without text
     * or media (docs/audit.md, "Deletion").
     */
    public static final String DELETED = "deleted";

    /** A tombstone's content: {@link #DELETED} with an empty value. */
    public static Content deleted() {
        return new Content(DELETED, "");
    }

    /** A text message's content. */
    public static Content text(String value) {
        return new Content(TEXT, value);
    }
}
