package chatapp.chat;

import java.time.Instant;

/**
 * What {@link ChatService} tells the real-time fan-out, always after the write is durable.
 * Delivery is at-least-once; clients drop duplicates by {@code messageId}.
 */
public sealed interface ChatEvent permits ChatEvent.MessageStored, ChatEvent.MessagesRead,
        ChatEvent.ConversationChanged, ChatEvent.MessagesDelivered, ChatEvent.MessageEdited,
        ChatEvent.MessageDeleted, ChatEvent.ConversationRemoved {

    /**
     * The WebSocket connection whose frame caused the event, left out of the event's fan-out
     * (it gets an {@code ack}, or nothing); null for a REST call.
     */
    String originConnectionId();

    /** A new message was stored (not published again for a replayed send). */
    record MessageStored(Message message, String originConnectionId) implements ChatEvent {
    }

    /**
     * {@code readerId} read {@code peerId}'s messages in the conversation up to
     * {@code upToMessageId} (only published when at least one message changed, and only in an
     * accepted conversation: a read receipt before acceptance would tell the requester that the
     * recipient looked).
     */
    record MessagesRead(String conversationId, String readerId, String peerId, String upToMessageId,
            Instant readAt, String originConnectionId) implements ChatEvent {
    }

    /**
     * A conversation was requested, or its consent changed (accepted, declined, blocked,
     * unblocked): each participant gets their own view of it. Always from REST or an implicit
     * acceptance by a reply, so it reaches every connection of both.
     */
    record ConversationChanged(ConversationView forUser, String userId, ConversationView forPeer, String peerId)
            implements ChatEvent {
        @Override
        public String originConnectionId() {
            return null;
        }
    }

    /**
     * A device of {@code recipientId} received {@code peerId}'s messages in the conversation up to
     * {@code upToMessageId} (published as {@link MessagesRead} is: only when at least one message
     * changed, and only in an accepted conversation).
     */
    record MessagesDelivered(String conversationId, String recipientId, String peerId, String upToMessageId,
            Instant deliveredAt, String originConnectionId) implements ChatEvent {
    }

    /** Its sender edited {@code message} (as it is now); from REST, so to every connection of both. */
    record MessageEdited(Message message) implements ChatEvent {
        @Override
        public String originConnectionId() {
            return null;
        }
    }

    /**
     * Its sender deleted {@code message} for everyone ({@code message} is the tombstone); from
     * REST, so to every connection of both. Not published while the conversation is blocked.
     */
    record MessageDeleted(Message message) implements ChatEvent {
        @Override
        public String originConnectionId() {
            return null;
        }
    }

    /**
     * {@code userId} no longer has the conversation: a request from an account that was deleted
     * before anybody accepted it (docs/audit.md). Only that user's connections are told.
     */
    record ConversationRemoved(String conversationId, String userId) implements ChatEvent {
        @Override
        public String originConnectionId() {
            return null;
        }
    }
}
