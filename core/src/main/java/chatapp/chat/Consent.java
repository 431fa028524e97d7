package chatapp.chat;

import java.util.Objects;

/**
 * A conversation's consent, the same on both participants' inbox rows: its state, who asked
 * (kept while the request is not accepted: after acceptance it is null), who blocked (only when
 * {@link ConversationState#BLOCKED}). Stores compare and replace it as a whole
 * ({@link ChatStore#changeConsent}).
 *
 * @param requestedBy the requester while the conversation was never accepted, else null
 * @param blockedBy the user who blocked, only in state {@code BLOCKED}
 */
public record Consent(ConversationState state, String requestedBy, String blockedBy) {

    /** An accepted conversation (also every conversation from before consent existed). */
    public static final Consent ACCEPTED = new Consent(ConversationState.ACCEPTED, null, null);

    public Consent {
        Objects.requireNonNull(state);
        if ((state == ConversationState.REQUESTED || state == ConversationState.DECLINED) && requestedBy == null) {
            throw new IllegalArgumentException(state + " needs requestedBy");
        }
        if (state == ConversationState.ACCEPTED && requestedBy != null) {
            throw new IllegalArgumentException("an accepted conversation has no requester");
        }
        if ((state == ConversationState.BLOCKED) != (blockedBy != null)) {
            throw new IllegalArgumentException("blockedBy is set exactly when blocked");
        }
    }

    /** A request by {@code requesterId}. */
    public static Consent requested(String requesterId) {
        return new Consent(ConversationState.REQUESTED, requesterId, null);
    }

    /**
     * Whether a message from {@code senderId} now is the requester's introduction: the
     * conversation is requested by them and not yet accepted. Only one is stored
     * ({@link ChatStore#send} refuses another once the conversation has a message).
     */
    public boolean introducing(String senderId) {
        return state == ConversationState.REQUESTED && senderId.equals(requestedBy);
    }

    /**
     * Whether {@code userId}'s row lies in the requests folder rather than the inbox: a request
     * to them that is pending, or one they declined (listed there so that they may still accept).
     */
    public boolean awaits(String userId) {
        return (state == ConversationState.REQUESTED || state == ConversationState.DECLINED)
                && !userId.equals(requestedBy);
    }
}
