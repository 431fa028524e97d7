package chatapp.chat;

import java.time.Instant;

/**
 * A validated, authorised message that {@link ChatStore#send} is asked to store; the store gives
 * it its {@code messageId}.
 */
public record NewMessage(String conversationId, String senderId, String recipientId, String clientMessageId,
        Instant createdAt, Content content, MediaRef media) {

    /** The stored message with {@code messageId}. */
    public Message withId(String messageId) {
        return new Message(messageId, conversationId, senderId, recipientId, createdAt, content, media,
                clientMessageId, null);
    }
}
