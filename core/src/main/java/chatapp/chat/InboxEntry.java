package chatapp.chat;

import java.time.Instant;

/**
 * One user's row for one conversation in the {@code conversations} store.
 *
 * @param lastMessage the newest message of the conversation, null before the first
 * @param unreadCount the peer's messages to {@code userId} that are not read yet
 * @param updatedAt creation, or the newest message's {@code createdAt}
 */
public record InboxEntry(String userId, String conversationId, String peerId, Message lastMessage, long unreadCount,
        Instant updatedAt) {
}
