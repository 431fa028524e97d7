package chatapp.server.chat;

import chatapp.chat.Content;
import chatapp.chat.ConversationView;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.ReadReceipt;
import chatapp.core.Page;
import chatapp.server.account.UserView;
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

    record OpenRequest(String peerId) {
    }

    record SendRequest(String clientMessageId, Content content) {
    }

    record ReadRequest(String upToMessageId) {
    }

    record PageJson<T>(List<T> items, String nextCursor) {
        static <S, T> PageJson<T> of(Page<S> page, Function<S, T> view) {
            return new PageJson<>(page.items().stream().map(view).toList(), page.nextCursor());
        }
    }

    record MessageJson(String messageId, String conversationId, String senderId, String recipientId, String createdAt,
            Content content, @JsonInclude(JsonInclude.Include.NON_NULL) MediaRef media, String clientMessageId,
            String readAt) {
        static MessageJson of(Message m) {
            return m == null ? null : new MessageJson(m.messageId(), m.conversationId(), m.senderId(), m.recipientId(),
                    time(m.createdAt()), m.content(), m.media(), m.clientMessageId(), time(m.readAt()));
        }
    }

    /**
     * API.md "Conversation"; {@code state} (requested, accepted, declined, blocked),
     * {@code requestedBy} (the requester until the conversation is accepted, else null) and
     * {@code blockedBy} (null unless blocked) since issue 19; {@code peerDeleted} (the peer deleted
     * their account: {@code peer} is a placeholder, the conversation is closed) since issue 22.
     */
    record ConversationJson(String conversationId, UserView peer, MessageJson lastMessage, long unreadCount,
            String updatedAt, String state, String requestedBy, String blockedBy, boolean peerDeleted) {
        static ConversationJson of(ConversationView v) {
            return new ConversationJson(v.conversationId(), UserView.of(v.peer()), MessageJson.of(v.lastMessage()),
                    v.unreadCount(), time(v.updatedAt()), v.consent().state().wire(), v.consent().requestedBy(),
                    v.consent().blockedBy(), v.peerDeleted());
        }
    }

    record ReadJson(String conversationId, String upToMessageId, String readAt, int updated) {
        static ReadJson of(ReadReceipt r) {
            return new ReadJson(r.conversationId(), r.upToMessageId(), time(r.readAt()), r.updated());
        }
    }
}
