package chatapp.chat;

import java.time.Instant;

/**
 * The answer to {@link ChatService#markRead} (API.md: {@code {conversationId, upToMessageId,
 * readAt, updated}}).
 *
 * @param updated how many messages this call marked read (0 for a repeat)
 */
public record ReadReceipt(String conversationId, String upToMessageId, Instant readAt, int updated) {
}
