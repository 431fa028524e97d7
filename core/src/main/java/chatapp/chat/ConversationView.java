package chatapp.chat;

import chatapp.account.User;
import java.time.Instant;

/**
 * A conversation as one participant sees it (API.md, "Conversation"): the other participant,
 * the newest message (null before the first), how many of the peer's messages this user has
 * not read, when the conversation last changed, and its consent (state, who requested, who
 * blocked), and whether the peer deleted their account ({@code peerDeleted}: {@code peer} is then
 * a placeholder with the peer's id and no profile; docs/audit.md, "Deletion").
 */
public record ConversationView(String conversationId, User peer, Message lastMessage, long unreadCount,
        Instant updatedAt, Consent consent, boolean peerDeleted) {

    /** A view of a conversation whose peer's account exists. */
    public ConversationView(String conversationId, User peer, Message lastMessage, long unreadCount,
            Instant updatedAt, Consent consent) {
        this(conversationId, peer, lastMessage, unreadCount, updatedAt, consent, false);
    }

    /** A view of an accepted conversation. */
    public ConversationView(String conversationId, User peer, Message lastMessage, long unreadCount,
            Instant updatedAt) {
        this(conversationId, peer, lastMessage, unreadCount, updatedAt, Consent.ACCEPTED);
    }
}
