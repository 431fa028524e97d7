package chatapp.chat;

import java.time.Instant;

/**
 * A validated, authorised message that {@link ChatStore#send} is asked to store; the store gives
 * it its {@code messageId}.
 *
 * @param introduction the requester's introduction before acceptance ({@link Consent#introducing}):
 *     stored only as the conversation's first message, else {@link ChatStore.NotFirst}
 * @param quote the message of the same conversation it replies to, null for none (the store keeps
 *     its id and sender)
 */
public record NewMessage(String conversationId, String senderId, String recipientId, String clientMessageId,
        Instant createdAt, Content content, MediaRef media, boolean introduction, Quote quote) {

    /** A message that quotes none. */
    public NewMessage(String conversationId, String senderId, String recipientId, String clientMessageId,
            Instant createdAt, Content content, MediaRef media, boolean introduction) {
        this(conversationId, senderId, recipientId, clientMessageId, createdAt, content, media, introduction, null);
    }

    /** A message that is not an introduction. */
    public NewMessage(String conversationId, String senderId, String recipientId, String clientMessageId,
            Instant createdAt, Content content, MediaRef media) {
        this(conversationId, senderId, recipientId, clientMessageId, createdAt, content, media, false);
    }

    /** The stored message with {@code messageId}. */
    public Message withId(String messageId) {
        return new Message(messageId, conversationId, senderId, recipientId, createdAt, content, media,
                clientMessageId, null, null, null, null, quote);
    }
}
