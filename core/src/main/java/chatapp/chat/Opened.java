package chatapp.chat;

/** The answer to {@link ChatService#open}: the conversation and whether this call created it. */
public record Opened(ConversationView conversation, boolean created) {
}
