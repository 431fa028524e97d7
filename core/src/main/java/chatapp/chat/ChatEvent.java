package chatapp.chat;

import java.time.Instant;

/**
 * What {@link ChatService} tells the real-time fan-out, always after the write is durable.
 * Delivery is at-least-once; clients drop duplicates by {@code messageId}.
 */
public sealed interface ChatEvent permits ChatEvent.MessageStored, ChatEvent.MessagesRead {

    /** A new message was stored (not published again for a replayed send). */
    record MessageStored(Message message) implements ChatEvent {
    }

    /**
     * {@code readerId} read {@code peerId}'s messages in the conversation up to
     * {@code upToMessageId} (only published when at least one message changed).
     */
    record MessagesRead(String conversationId, String readerId, String peerId, String upToMessageId,
            Instant readAt) implements ChatEvent {
    }
}
