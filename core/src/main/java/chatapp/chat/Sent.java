package chatapp.chat;

/**
 * The answer to a send: the stored message and whether this call stored it ({@code false}: a
 * replay of the same {@code clientMessageId}, answered with the original).
 */
public record Sent(Message message, boolean created) {
}
