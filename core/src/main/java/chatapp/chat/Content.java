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

    /** A text message's content. */
    public static Content text(String value) {
        return new Content(TEXT, value);
    }
}
