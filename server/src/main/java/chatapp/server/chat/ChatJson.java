package chatapp.server.chat;

import chatapp.chat.Content;
import chatapp.chat.ConversationView;
import chatapp.chat.DeliveryReceipt;
import chatapp.chat.Quote;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.ReadReceipt;
import chatapp.core.Page;
import chatapp.server.account.UserView;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** The JSON shapes of API.md for conversations and messages; times ISO-8601 UTC with milliseconds. */
final class ChatJson {

    private ChatJson() {
    }

    static String time(Instant at) {
        return at == null ? null : UserView.time(at);
    }

    record OpenRequest(@Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9_-]{1,64}$",
            description = "the userId of a therapist (for a parent) or a parent (for a therapist)") String peerId) {
    }

    record SendRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9_-]{1,64}$",
                    description = "the client's id of this message: a repeat returns the stored one") String clientMessageId,
            @Schema(requiredMode = RequiredMode.REQUIRED, implementation = ContentShape.class) Content content,
            @Schema(pattern = "^[0-9]{12}-[A-Za-z0-9_-]{8}$", nullable = true,
                    description = "the messageId of an earlier message of this conversation this one replies to "
                            + "(404 if it names none; 400 if it was deleted)") String replyTo) {
    }

    /** {@code PATCH /conversations/{id}/messages/{messageId}}: the new text of a text message. */
    record EditRequest(@Schema(requiredMode = RequiredMode.REQUIRED, implementation = EditContentShape.class)
            Content content) {
    }

    /** The document's view of an edit's content: text only, by the rules of a send. */
    @Schema(name = "EditContent")
    record EditContentShape(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"text"}) String contentType,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 10_000,
                    description = "1-10,000 characters (code points), not blank, no control characters but tab "
                            + "and line breaks") String value) {
    }

    /** The document's view of {@link Quote}: what a reply shows of the message it replies to, as it is now. */
    @Schema(name = "Quote")
    record QuoteShape(@Schema(requiredMode = RequiredMode.REQUIRED) String messageId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String senderId,
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"text", "image", "video", "deleted"})
            String contentType,
            @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 101,
                    description = "the quoted text cut after 100 code points (then ending in …), \"Photo\", "
                            + "\"Video\", or empty once the quoted message is deleted") String excerpt) {
    }

    /** The document's view of {@link Content} (MessageRules): text, or the mediaId of an upload of the sender's. */
    @Schema(name = "Content")
    record ContentShape(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"text", "image", "video"}) String contentType,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 10_000,
                    description = "text: 1-10,000 characters (code points), not blank, no control characters but "
                            + "tab and line breaks; image or video: the mediaId of an upload of the sender's")
            String value,
            @Schema(minLength = 1, maxLength = 1_000, description = "image or video only (issue 21): a caption of "
                    + "1-1,000 characters (code points), with the rules of text; omit it for none")
            String caption) {
    }

    /**
     * The document's view of a stored message's {@link Content}: as sent (or edited), or a
     * tombstone ({@code deleted}, empty value) once its sender deleted it for everyone (issue 21)
     * or deleted their account (issue 22).
     */
    @Schema(name = "StoredContent")
    record StoredContentShape(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"text", "image", "video", "deleted"})
            String contentType,
            @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 10_000,
                    description = "text, the mediaId of a photo or video, or empty for a deleted message")
            String value,
            @Schema(maxLength = 1_000, description = "a photo's or video's caption; absent if it has none")
            String caption) {
    }

    /** The document's view of {@link MediaRef}: dimensions only when known. */
    @Schema(name = "MediaRef")
    record MediaShape(@Schema(requiredMode = RequiredMode.REQUIRED) String mediaId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String contentType,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0") long size, Integer width, Integer height,
            Long durationMs,
            @Schema(description = "videos: whether ?variant=thumbnail (its poster frame) exists; absent for photos "
                    + "(they always have a thumbnail)") Boolean poster) {
    }

    record ReadRequest(@Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[0-9]{12}-[A-Za-z0-9_-]{8}$",
            description = "a messageId of this conversation (404 if it names none)") String upToMessageId) {
    }

    /** A page; {@code nextCursor} is null on the last page. */
    record PageJson<T>(@Schema(requiredMode = RequiredMode.REQUIRED) List<T> items, @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String nextCursor) {
        static <S, T> PageJson<T> of(Page<S> page, Function<S, T> view) {
            return new PageJson<>(page.items().stream().map(view).toList(), page.nextCursor());
        }
    }

    record MessageJson(@Schema(requiredMode = RequiredMode.REQUIRED) String messageId, @Schema(requiredMode = RequiredMode.REQUIRED) String conversationId, @Schema(requiredMode = RequiredMode.REQUIRED) String senderId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String recipientId,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, implementation = StoredContentShape.class) Content content,
            @Schema(implementation = MediaShape.class, description = "photos and videos")
            @JsonInclude(JsonInclude.Include.NON_NULL) MediaRef media,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String clientMessageId,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time",
                    description = "when the recipient read it; null until then") String readAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time",
                    description = "when a device of the recipient first received it (read implies delivered); "
                            + "null until then") String deliveredAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time",
                    description = "when its sender last edited its text; null if never") String editedAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time",
                    description = "when its sender deleted it for everyone (content is then a tombstone); null "
                            + "otherwise") String deletedAt,
            @Schema(implementation = QuoteShape.class, description = "replies only: the message it replies to")
            @JsonInclude(JsonInclude.Include.NON_NULL) Quote quote) {
        static MessageJson of(Message m) {
            return m == null ? null : new MessageJson(m.messageId(), m.conversationId(), m.senderId(), m.recipientId(),
                    time(m.createdAt()), m.content(), m.media(), m.clientMessageId(), time(m.readAt()),
                    time(m.deliveredAt()), time(m.editedAt()), time(m.deletedAt()), m.quote());
        }
    }

    /**
     * API.md "Conversation"; {@code state} (requested, accepted, declined, blocked),
     * {@code requestedBy} (the requester until the conversation is accepted, else null) and
     * {@code blockedBy} (null unless blocked) since issue 19; {@code peerDeleted} (the peer deleted
     * their account: {@code peer} is a placeholder, the conversation is closed) since issue 22.
     */
    record ConversationJson(@Schema(requiredMode = RequiredMode.REQUIRED) String conversationId, @Schema(requiredMode = RequiredMode.REQUIRED) UserView peer,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) MessageJson lastMessage, @Schema(requiredMode = RequiredMode.REQUIRED) long unreadCount,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true, format = "date-time") String updatedAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"requested", "accepted", "declined", "blocked"})
            String state,
            @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String requestedBy, @Schema(requiredMode = RequiredMode.REQUIRED, nullable = true) String blockedBy,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean peerDeleted) {
        static ConversationJson of(ConversationView v) {
            return of(v, UserView.of(v.peer()));
        }

        /** With {@code peer} as the caller may see it (issue 21: with the peer's profile, {@code ProfileViews}). */
        static ConversationJson of(ConversationView v, UserView peer) {
            return new ConversationJson(v.conversationId(), peer, MessageJson.of(v.lastMessage()),
                    v.unreadCount(), time(v.updatedAt()), v.consent().state().wire(), v.consent().requestedBy(),
                    v.consent().blockedBy(), v.peerDeleted());
        }
    }

    /** {@code POST /conversations/{id}/delivered}: the newest message a device of the caller received. */
    record DeliveredRequest(@Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[0-9]{12}-[A-Za-z0-9_-]{8}$",
            description = "a messageId of this conversation (404 if it names none)") String upToMessageId) {
    }

    record DeliveredJson(@Schema(requiredMode = RequiredMode.REQUIRED) String conversationId,
            @Schema(requiredMode = RequiredMode.REQUIRED) String upToMessageId,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String deliveredAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "messages newly marked delivered") int updated) {
        static DeliveredJson of(DeliveryReceipt r) {
            return new DeliveredJson(r.conversationId(), r.upToMessageId(), time(r.deliveredAt()), r.updated());
        }
    }

    record ReadJson(@Schema(requiredMode = RequiredMode.REQUIRED) String conversationId, @Schema(requiredMode = RequiredMode.REQUIRED) String upToMessageId,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String readAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "messages newly marked read") int updated) {
        static ReadJson of(ReadReceipt r) {
            return new ReadJson(r.conversationId(), r.upToMessageId(), time(r.readAt()), r.updated());
        }
    }
}
