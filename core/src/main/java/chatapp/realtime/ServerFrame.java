package chatapp.realtime;

import chatapp.chat.ConversationView;
import chatapp.chat.Message;
import chatapp.account.User;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What the server sends on a WebSocket (API.md, "Server to client"): one JSON text object per
 * frame, its {@code type} given by {@link #type()}, its other fields by the record's components.
 */
public sealed interface ServerFrame {

    /** The wire {@code type}. */
    String type();

    /** First frame after the handshake. */
    record Hello(String userId, String connectionId, Instant serverTime) implements ServerFrame {
        public String type() {
            return "hello";
        }
    }

    /** To the connection that sent {@code clientMessageId}: the message is durably stored. */
    record Ack(String clientMessageId, Message message) implements ServerFrame {
        public String type() {
            return "ack";
        }
    }

    /** A new message, to the recipient's connections and the sender's other connections. */
    record NewMessage(Message message) implements ServerFrame {
        public String type() {
            return "message";
        }
    }

    /** Messages up to {@code upToMessageId} of {@code conversationId} were read by {@code readerId}. */
    record Read(String conversationId, String readerId, String upToMessageId, Instant readAt) implements ServerFrame {
        public String type() {
            return "read";
        }
    }

    /**
     * A device of {@code recipientId} received the messages up to {@code upToMessageId} of
     * {@code conversationId}; to the sender's connections.
     */
    record Delivered(String conversationId, String recipientId, String upToMessageId, Instant deliveredAt)
            implements ServerFrame {
        public String type() {
            return "delivered";
        }
    }

    /** Its sender edited {@code message} (as it is now); to both participants' connections. */
    record MessageEdited(Message message) implements ServerFrame {
        public String type() {
            return "message_edited";
        }
    }

    /** Its sender deleted {@code message} for everyone (the tombstone); to both participants' connections. */
    record MessageDeleted(Message message) implements ServerFrame {
        public String type() {
            return "message_deleted";
        }
    }

    /** {@code userId} is typing in {@code conversationId}; not stored. */
    record Typing(String conversationId, String userId) implements ServerFrame {
        public String type() {
            return "typing";
        }
    }

    /**
     * {@code userId}'s first connection opened ({@code online}) or last one closed; to users who
     * share a conversation with them.
     *
     * @param lastSeenAt when the change happened
     */
    record Presence(String userId, boolean online, Instant lastSeenAt) implements ServerFrame {
        public String type() {
            return "presence";
        }
    }

    /**
     * A refusal: {@code code} is one of API.md's error codes or {@code bad_frame};
     * {@code clientMessageId} is set when the refused frame was a {@code send}, else null;
     * {@code retryAfterMs} (milliseconds until the refused action would be taken) is set for
     * {@code rate_limited}, else null (docs/protocol.md: the frame's {@code Retry-After}).
     */
    record Failure(String code, String detail, String clientMessageId, Long retryAfterMs) implements ServerFrame {

        /** A refusal without a retry time. */
        public Failure(String code, String detail, String clientMessageId) {
            this(code, detail, clientMessageId, null);
        }

        public String type() {
            return "error";
        }
    }

    /**
     * A conversation was requested or its consent changed (docs/protocol.md, "conversation"): the
     * receiving user's view of it, the same shape as REST's Conversation (API.md).
     */
    /** The conversation is gone for this user (a request whose requester deleted their account). */
    record ConversationRemoved(String conversationId) implements ServerFrame {
        public String type() {
            return "conversation_removed";
        }
    }

    record Conversation(ConversationShape conversation) implements ServerFrame {
        public String type() {
            return "conversation";
        }

        /** The frame for {@code view}. */
        public static Conversation of(ConversationView view) {
            User p = view.peer();
            return new Conversation(new ConversationShape(view.conversationId(),
                    new PeerShape(p.userId(), p.username(), p.userType().wire(), p.specialization(), p.childrenCount(),
                            p.createdAt()),
                    view.lastMessage(), view.unreadCount(), view.updatedAt(), view.consent().state().wire(),
                    view.consent().requestedBy(), view.consent().blockedBy()));
        }
    }

    /** API.md "Conversation" as a frame carries it. */
    record ConversationShape(String conversationId, PeerShape peer, Message lastMessage, long unreadCount,
            Instant updatedAt, String state, String requestedBy, String blockedBy) {
    }

    /** A user's public view (API.md "User"): never an email or a password hash. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PeerShape(String userId, String username, String userType, String specialization, Integer childrenCount,
            Instant createdAt) {
    }

    /** Answer to {@code ping}. */
    record Pong() implements ServerFrame {
        public String type() {
            return "pong";
        }
    }

    /**
     * To the parent who wrote to a therapist outside the therapist's stated hours: the therapist's
     * away message, at most once per conversation per away period (docs/notifications.md).
     *
     * @param userId the therapist
     * @param until when the away period ends (the stated hours start again)
     */
    record Away(String conversationId, String userId, String message, Instant until) implements ServerFrame {
        public String type() {
            return "away";
        }
    }
}
