package chatapp.chat;

import java.time.Instant;

/**
 * One user's row for one conversation in the {@code conversations} store.
 *
 * @param lastMessage the newest message of the conversation, null before the first
 * @param unreadCount the peer's messages to {@code userId} that are not read yet
 * @param updatedAt creation, or the newest message's {@code createdAt}
 * @param consent the conversation's consent, the same on both rows
 */
public record InboxEntry(String userId, String conversationId, String peerId, Message lastMessage, long unreadCount,
        Instant updatedAt, Consent consent) {

    /** A row of an accepted conversation. */
    public InboxEntry(String userId, String conversationId, String peerId, Message lastMessage, long unreadCount,
            Instant updatedAt) {
        this(userId, conversationId, peerId, lastMessage, unreadCount, updatedAt, Consent.ACCEPTED);
    }
}
