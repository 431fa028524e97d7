package chatapp.chat;

import java.util.Locale;

/**
 * Where a conversation stands on consent (docs/security.md, "Consent"). A new conversation is a
 * {@link #REQUESTED request}; only once its recipient accepts do messages, presence, typing and
 * read receipts flow both ways. Conversations from before consent existed are {@link #ACCEPTED}.
 */
public enum ConversationState {
    /** Opened by one user; the other has not answered. The requester may send one text introduction. */
    REQUESTED,
    /** Both may talk; presence, typing and read receipts flow. */
    ACCEPTED,
    /** The recipient said no: the requester may send nothing more; the recipient may still accept. */
    DECLINED,
    /** One of them blocked the other: nothing flows either way, and neither finds the other in the directory. */
    BLOCKED;

    /** The wire name (API.md, "Conversation"): {@code requested}, {@code accepted}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of a wire name. @throws IllegalArgumentException for an unknown one */
    public static ConversationState fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
