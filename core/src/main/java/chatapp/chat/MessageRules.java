package chatapp.chat;

import chatapp.core.ChatAppException;
import chatapp.core.FieldError;
import chatapp.core.TextRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a message's input is checked (API.md, "Message"; issue 13): the
 * {@code clientMessageId} and the content. For a photo or video, {@code value} must look like a
 * {@code mediaId}; whether it names an upload of the sender's is {@link chatapp.media.MediaService#attach}'s
 * check, made by {@link ChatService#send} once the recipient is known.
 */
final class MessageRules {

    /** API.md: text is 1..10,000 characters, counted as Unicode code points. */
    static final int MAX_TEXT_CODE_POINTS = 10_000;
    /** Issue 21: a photo's or video's caption is at most 1,000 characters (code points), else as text. */
    static final int MAX_CAPTION_CODE_POINTS = 1_000;
    /** Opaque ids we hand out are URL-safe and short; anything else cannot name one of ours. */
    private static final int MAX_ID = 64;

    private MessageRules() {
    }

    /**
     * Checks a send's input.
     *
     * @throws ChatAppException {@code validation_failed} naming every invalid field
     */
    static void check(String senderId, String clientMessageId, Content content) {
        List<FieldError> errors = new ArrayList<>();
        if (clientMessageId == null || clientMessageId.isEmpty()) {
            errors.add(new FieldError("clientMessageId", "is required"));
        } else if (!urlSafe(clientMessageId)) {
            errors.add(new FieldError("clientMessageId", "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -"));
        }
        if (content == null) {
            errors.add(new FieldError("content", "is required"));
        } else if (content.contentType() == null) {
            errors.add(new FieldError("content.contentType", "is required (text)"));
        } else {
            switch (content.contentType()) {
                case Content.TEXT -> {
                    text("content.value", content.value(), MAX_TEXT_CODE_POINTS, errors);
                    if (content.caption() != null) {
                        errors.add(new FieldError("content.caption", "only a photo or video has a caption"));
                    }
                }
                case Content.IMAGE, Content.VIDEO -> {
                    if (!isOpaqueId(content.value())) {
                        errors.add(new FieldError("content.value", "must be the mediaId of an upload of yours"));
                    }
                    if (content.caption() != null) {
                        text("content.caption", content.caption(), MAX_CAPTION_CODE_POINTS, errors);
                    }
                }
                default -> errors.add(new FieldError("content.contentType", "must be text, image or video"));
            }
        }
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
    }

    /**
     * Checks an edit's new content: text, by the rules of a send.
     *
     * @throws ChatAppException {@code validation_failed} naming the invalid field
     */
    static void checkEdit(Content content) {
        List<FieldError> errors = new ArrayList<>();
        if (content == null) {
            errors.add(new FieldError("content", "is required"));
        } else if (!Content.TEXT.equals(content.contentType())) {
            errors.add(new FieldError("content.contentType", "must be text: only text can be edited"));
        } else {
            text("content.value", content.value(), MAX_TEXT_CODE_POINTS, errors);
            if (content.caption() != null) {
                // A text message has no caption: ignoring one would tell the client it was saved.
                errors.add(new FieldError("content.caption", "only a photo or video has a caption; an edit "
                        + "changes a text message's value only"));
            }
        }
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
    }

    private static void text(String field, String value, int max, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        int codePoints = value.codePointCount(0, value.length());
        if (codePoints > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters (it has " + codePoints + ")"));
        } else if (TextRules.hasLoneSurrogate(value)) {
            errors.add(new FieldError(field, "is not valid Unicode (unpaired surrogate)"));
        } else {
            int control = TextRules.firstControl(value, true);
            if (control >= 0) {
                errors.add(new FieldError(field, "must not contain control characters other than tab, "
                        + "line feed and carriage return (found " + TextRules.describe(control) + " at character "
                        + (value.codePointCount(0, value.indexOf(control)) + 1) + ")"));
            } else if (TextRules.isBlank(value)) {
                errors.add(new FieldError(field,
                        "must not be empty or blank (spaces and invisible characters alone do not count)"));
            }
        }
    }

    /** Whether {@code id} could be an id we handed out (else it names nothing: 404, no store call). */
    static boolean isOpaqueId(String id) {
        return id != null && urlSafe(id);
    }

    /** 1 to 64 characters of A-Z, a-z, 0-9, _ and - (a loop, not a regex: it runs on every send). */
    private static boolean urlSafe(String id) {
        int n = id.length();
        if (n == 0 || n > MAX_ID) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
