package chatapp.chat;

import chatapp.account.User;
import java.time.Instant;

/**
 * A conversation as one participant sees it (API.md, "Conversation"): the other participant,
 * the newest message (null before the first), how many of the peer's messages this user has
 * not read, and when the conversation last changed.
 */
public record ConversationView(String conversationId, User peer, Message lastMessage, long unreadCount,
        Instant updatedAt) {
}
