package chatapp.chat;

import chatapp.core.ChatAppException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Brings the prototype's messages into ChatApp's conversations (issue 23,
 * docs/decisions/0039-prototype-import.md): one conversation per pair, accepted (the pair already
 * talked before consent existed), messages stored in the order given, each once, with its own
 * {@code createdAt}, and read receipts with the prototype's {@code readAt}. Through
 * {@link ChatStore} alone, so the same rules hold on SQLite and DynamoDB: each message is one
 * atomic send (inbox rows and unread counts follow) guarded by its {@code clientMessageId}.
 */
public final class ConversationImport {

    private final ChatStore store;

    public ConversationImport(ChatStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** The id of the pair's one conversation, the same that {@link ChatService#open} finds. */
    public static String conversationId(String a, String b) {
        return ChatService.conversationId(a, b);
    }

    /**
     * Opens the pair's conversation as accepted, with {@code at} (its first message's time) as its
     * {@code updatedAt}, unless it exists (then it is left as it is, consent included).
     */
    public String open(String userId, String peerId, Instant at) {
        String conversationId = conversationId(userId, peerId);
        store.createConversation(conversationId, userId, peerId, at, Consent.ACCEPTED);
        return conversationId;
    }

    /**
     * The messages the conversation holds already, by (senderId, clientMessageId): what an
     * earlier run stored. Reads the conversation once, newest first, a page at a time.
     */
    public Map<Key, Message> stored(String conversationId) {
        Map<Key, Message> stored = new HashMap<>();
        String before = null;
        while (true) {
            List<Message> page = store.before(conversationId, before, 100);
            for (Message m : page) {
                if (m.clientMessageId() != null) {
                    stored.put(new Key(m.senderId(), m.clientMessageId()), m);
                }
            }
            if (page.size() < 100) {
                return stored;
            }
            before = page.getLast().messageId();
        }
    }

    /** A message's idempotency key: its sender and the {@code clientMessageId} the import gave it. */
    public record Key(String senderId, String clientMessageId) {
    }

    /**
     * Checks a message's content by the rules of any send ({@link MessageRules}: text length,
     * control characters, blank text; a photo or video names a media id).
     *
     * @throws ChatAppException {@code validation_failed} naming what is wrong
     */
    public static void check(String senderId, String clientMessageId, Content content) {
        MessageRules.check(senderId, clientMessageId, content);
    }

    /**
     * Stores one message at the end of its conversation, unless the sender's
     * {@code clientMessageId} is there already (then the stored one is returned), and, if the
     * prototype says it was read, records that: a read receipt up to it, as ChatApp's read
     * receipts work, so an earlier message to the same reader that is still unread is read with it
     * (the prototype's clients read a conversation as a whole; docs/operations.md).
     * {@code media}, for a photo or video, must already be viewable by the recipient
     * ({@link chatapp.media.Attachments#attach}).
     *
     * @param readAt when the recipient read it, null if unread
     * @return the stored message
     */
    public Message bringOver(NewMessage message, Instant readAt) {
        Message stored = store.send(message).message();
        return read(stored, readAt);
    }

    /**
     * Records that {@code stored} was read at {@code readAt} (null: nothing to record), if it is
     * not read yet: what a run killed between a message and its read receipt left undone.
     */
    public Message read(Message stored, Instant readAt) {
        if (readAt == null || stored.readAt() != null) {
            return stored;
        }
        store.markRead(stored.conversationId(), stored.recipientId(), stored.messageId(), readAt);
        return stored.readAt(readAt);
    }
}
