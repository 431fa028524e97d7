package chatapp.chat;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a message says (API.md, "Message"): {@code contentType} is {@code text}, {@code image} or
 * {@code video}; for text {@code value} is the text, for a photo or video it is the
 * {@code mediaId} of an upload by the sender.
 *
 * @param caption a photo's or video's caption (issue 21; text rules as for a text message, at
 *     most {@value MessageRules#MAX_CAPTION_CODE_POINTS} characters); null if it has none, and
 *     always null for text. Omitted from JSON when null.
 */
public record Content(String contentType, String value,
        @JsonInclude(JsonInclude.Include.NON_NULL) String caption) {

    /** Content without a caption. */
    public Content(String contentType, String value) {
        this(contentType, value, null);
    }

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
