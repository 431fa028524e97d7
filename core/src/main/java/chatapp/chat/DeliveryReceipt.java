package chatapp.chat;

import java.time.Instant;

/**
 * The answer to {@link ChatService#markDelivered} (API.md: {@code {conversationId, upToMessageId,
 * deliveredAt, updated}}).
 *
 * @param updated how many messages this call marked delivered (0 for a repeat)
 */
public record DeliveryReceipt(String conversationId, String upToMessageId, Instant deliveredAt, int updated) {
}
