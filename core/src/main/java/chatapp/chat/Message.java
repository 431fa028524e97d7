package chatapp.chat;

import java.time.Instant;

/**
 * One stored message (API.md, "Message"; field names follow the seed's Chats table).
 * {@code messageId} sorts in commit order within its conversation (see {@link ChatStore#messageId}).
 *
 * @param media null for text
 * @param readAt when the recipient read it; null while unread; set once, never moved
 */
public record Message(String messageId, String conversationId, String senderId, String recipientId,
        Instant createdAt, Content content, MediaRef media, String clientMessageId, Instant readAt) {

    /** This message as read at {@code at}. */
    public Message readAt(Instant at) {
        return new Message(messageId, conversationId, senderId, recipientId, createdAt, content, media,
                clientMessageId, at);
    }
}
