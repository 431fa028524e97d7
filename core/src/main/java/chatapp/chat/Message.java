package chatapp.chat;

import java.time.Instant;

/**
 * One stored message (API.md, "Message"; field names follow the seed's Chats table).
 * {@code messageId} sorts in commit order within its conversation (see {@link ChatStore#messageId}).
 *
 * @param media null for text
 * @param readAt when the recipient read it; null while unread; set once, never moved
 * @param deliveredAt when a device of the recipient first received it; null until then; set once,
 *     never moved. Read implies delivered: a message read without a delivery acknowledgement
 *     (also one stored before deliveries were recorded) is delivered at {@code readAt}
 * @param editedAt when its sender last edited its text; null if never
 * @param deletedAt when its sender deleted it for everyone (then {@code content} is
 *     {@link Content#deleted()} and {@code media} null); null otherwise, also for the tombstones
 *     of a deleted account
 * @param quote the earlier message of the same conversation it replies to, as that message is
 *     now (docs/decisions/0043-message-lifecycle.md); null if it replies to none
 */
public record Message(String messageId, String conversationId, String senderId, String recipientId,
        Instant createdAt, Content content, MediaRef media, String clientMessageId, Instant readAt,
        Instant deliveredAt, Instant editedAt, Instant deletedAt, Quote quote) {

    public Message {
        if (deliveredAt == null && readAt != null) {
            deliveredAt = readAt; // read implies delivered
        }
    }

    /** A message that was never delivered, edited, deleted, and quotes none. */
    public Message(String messageId, String conversationId, String senderId, String recipientId,
            Instant createdAt, Content content, MediaRef media, String clientMessageId, Instant readAt) {
        this(messageId, conversationId, senderId, recipientId, createdAt, content, media, clientMessageId, readAt,
                null, null, null, null);
    }

    /** This message as read at {@code at}. */
    public Message readAt(Instant at) {
        return new Message(messageId, conversationId, senderId, recipientId, createdAt, content, media,
                clientMessageId, at, deliveredAt, editedAt, deletedAt, quote);
    }

    /** This message with {@code quote} (how a store resolves a reply's quote when it reads it). */
    public Message withQuote(Quote quote) {
        return new Message(messageId, conversationId, senderId, recipientId, createdAt, content, media,
                clientMessageId, readAt, deliveredAt, editedAt, deletedAt, quote);
    }

    /** Whether its sender deleted it for everyone, or their account (a tombstone). */
    public boolean isDeleted() {
        return Content.DELETED.equals(content.contentType());
    }
}
