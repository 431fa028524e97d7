package chatapp.chat;

import chatapp.core.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Port: where conversations and messages live: {@code chats} (messages by
 * (conversationId, messageId)) and {@code conversations} (each participant's inbox row by
 * (userId, conversationId)). Two adapters, SQLite and DynamoDB, both proven by
 * {@code ChatStoreContract}. Every read is by key or key range, never a scan.
 *
 * <p>Message ids: {@link #messageId} of the conversation's next sequence number. The store
 * assigns it inside the atomic write of {@link #send}, so that id order is commit order.
 */
public interface ChatStore {

    /**
     * Creates the conversation {@code conversationId} between {@code userId} and {@code peerId}
     * with both inbox rows (no message, unread 0, updatedAt {@code at}), unless it exists.
     * Atomic: concurrent calls for the same id create it once.
     *
     * @return true if this call created it
     */
    default boolean createConversation(String conversationId, String userId, String peerId, Instant at) {
        return createConversation(conversationId, userId, peerId, at, Consent.ACCEPTED);
    }

    /**
     * As {@link #createConversation(String, String, String, Instant)}, with {@code consent} on
     * both rows (the service opens conversations as requests; seeds and imports as accepted).
     *
     * @return true if this call created it; false if it existed (its consent is left as it is)
     */
    boolean createConversation(String conversationId, String userId, String peerId, Instant at, Consent consent);

    /**
     * Replaces the conversation's consent on both rows with {@code next}, in one atomic write,
     * only if it is {@code expected} on {@code userId}'s row (compare-and-set: concurrent changes
     * of one conversation apply one at a time). Does not change {@code updatedAt}.
     *
     * @return false if the consent was not {@code expected} (nothing written)
     */
    boolean changeConsent(String conversationId, String userId, String peerId, Consent expected, Consent next);

    /** {@code userId}'s inbox row for the conversation; empty if the user is not a participant. */
    Optional<InboxEntry> inboxEntry(String userId, String conversationId);

    /**
     * {@code userId}'s inbox rows, most recently updated first, by index. {@code position} is
     * null for the first page, else a {@link Page#nextCursor()} this method returned (a raw
     * position; the service makes it tamper-proof).
     */
    default Page<InboxEntry> inbox(String userId, int limit, String position) {
        return inbox(userId, Folder.INBOX, limit, position);
    }

    /**
     * {@code userId}'s inbox rows of one folder, most recently updated first, by index (rows of
     * the other folder are skipped while reading, so a page costs as many rows as it skips).
     * Which folder a row lies in is {@link Consent#awaits}: requests to the user and requests the
     * user declined are {@link Folder#REQUESTS}, the rest {@link Folder#INBOX}.
     */
    Page<InboxEntry> inbox(String userId, Folder folder, int limit, String position);

    /** The two listings of a user's conversations (API.md: GET /conversations and GET /conversations/requests). */
    enum Folder {
        /** Every conversation but those of {@link #REQUESTS}. */
        INBOX,
        /** Requests to the user that are pending ({@code requested}) or that the user declined. */
        REQUESTS
    }

    /**
     * Stores the message in one atomic write: the message with the next message id, both inbox
     * rows (last message, updatedAt, the recipient's unread count + 1) and the idempotency guard
     * for (conversationId, senderId, clientMessageId). If the guard exists, also when identical
     * sends race, nothing is written and the sender's original message is returned with
     * {@code created=false}. A reply ({@link NewMessage#quote()}) keeps the quoted message's id and
     * sender; every read of it gives its {@link Quote} as the quoted message is at that time. The guard is per sender because clients choose their ids
     * independently: the peer's use of the same id is another message. Returns after the write
     * is durable. An {@linkplain NewMessage#introduction() introduction} is stored only as the
     * conversation's first message, decided in the same atomic write, so that two introductions
     * sent at once never both land (docs/security.md, "Consent": one introduction before
     * acceptance); a replay of the stored one still returns it. A message is stored only while
     * the conversation is not {@linkplain ConversationState#BLOCKED blocked}, decided in the same
     * atomic write: a send already past the service's consent check when the conversation is
     * blocked (by a participant, or closed by an account's deletion) stores nothing, so no
     * message of a deleted account lands after its erasing pass (docs/audit.md, "Deletion"); a
     * replay of a message stored before the block still returns it.
     *
     * @throws NotFirst if {@code message} is an introduction and the conversation has a message
     * @throws Closed if the conversation is blocked at the write
     */
    Sent send(NewMessage message);

    /**
     * {@link #send}, without waiting for the write: completes {@code result} with what
     * {@link #send} would return, or exceptionally with what it would throw, once the write is
     * durable. The caller passes {@code result} with its dependent stages already attached, so
     * that they run when the write completes. Writes queued by one thread are applied in call
     * order (a connection's pipelined sends keep their frame order; docs/protocol.md), and
     * results complete in commit order. An adapter that cannot queue writes completes
     * {@code result} before returning (this default: {@link #send} on the calling thread), and
     * the order then holds trivially.
     */
    default void sendAsync(NewMessage message, java.util.concurrent.CompletableFuture<Sent> result) {
        Sent sent;
        try {
            sent = send(message);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        result.complete(sent);
    }

    /** {@link #send}: the conversation is blocked (also closed by an account's deletion); nothing was written. */
    final class Closed extends RuntimeException {
        public Closed(String conversationId) {
            super("conversation " + conversationId + " is blocked", null, false, false);
        }
    }

    /** {@link #send}: an introduction to a conversation that already has a message; nothing was written. */
    final class NotFirst extends RuntimeException {
        public NotFirst(String conversationId) {
            super("conversation " + conversationId + " already has a message", null, false, false);
        }
    }

    /**
     * The message {@code senderId} stored in the conversation with this {@code clientMessageId}
     * (the holder of its idempotency guard, read by key; {@link #send} answers it to a replay).
     */
    Optional<Message> sentAs(String conversationId, String senderId, String clientMessageId);

    /** The message by key. */
    Optional<Message> message(String conversationId, String messageId);

    /**
     * Up to {@code limit} messages with id below {@code beforeMessageId} (null: the newest),
     * newest first, read as one key range.
     */
    List<Message> before(String conversationId, String beforeMessageId, int limit);

    /** Up to {@code limit} messages with id above {@code afterMessageId}, oldest first, one key range. */
    List<Message> after(String conversationId, String afterMessageId, int limit);

    /**
     * Sets {@code readAt} (and {@code deliveredAt}, unless set) on every message to
     * {@code readerId} with id up to {@code upToMessageId} whose {@code readAt} is not set, and lowers the reader's unread count
     * by exactly the number changed. Safe under concurrent calls and sends: each message is
     * changed once and counted once.
     *
     * @return how many messages this call changed
     */
    int markRead(String conversationId, String readerId, String upToMessageId, Instant readAt);

    /**
     * Sets {@code deliveredAt} on every message to {@code recipientId} with id up to
     * {@code upToMessageId} that has neither {@code deliveredAt} nor {@code readAt} (read implies
     * delivered: {@link #markRead} sets both). Monotone and idempotent: each message is changed
     * once; other messages, unread counts and the inbox are not touched.
     *
     * @return how many messages this call changed
     */
    int markDelivered(String conversationId, String recipientId, String upToMessageId, Instant deliveredAt);

    /**
     * Replaces the text of {@code senderId}'s text message {@code messageId} with {@code text} and
     * sets {@code editedAt}, atomically on condition that the message is {@code senderId}'s and
     * still text (not deleted meanwhile). The service decides whether the edit is allowed (its
     * time window, consent).
     *
     * @return the message as edited; empty if there is no such text message of {@code senderId}
     *     (nothing written)
     */
    Optional<Message> edit(String conversationId, String messageId, String senderId, String text, Instant editedAt);

    /**
     * Deletes {@code senderId}'s message {@code messageId} for everyone: in one write it becomes a
     * tombstone ({@link Content#deleted()}, no media, no quote, {@code deletedAt} set) keeping its
     * id, times, recipient, {@code readAt} and {@code deliveredAt}, so that unread counts and
     * receipts stay as they were. An inbox row whose last message it is shows the tombstone.
     * Only if the message is {@code senderId}'s and not a tombstone yet.
     *
     * @return the message as it was before this call (the caller makes its media unreachable);
     *     empty if there is no such message of {@code senderId} or it was a tombstone already
     *     (nothing written)
     */
    Optional<Message> deleteForEveryone(String conversationId, String messageId, String senderId, Instant deletedAt);

    /**
     * Every conversation partner of {@code userId} with the conversation's consent, read by key
     * (the user's rows); the service decides who may learn what (presence only between accepted
     * peers, the directory hidden between blocked ones).
     */
    List<Contact> contacts(String userId);

    /** A conversation partner of a user and the conversation's consent. */
    record Contact(String peerId, Consent consent) {
    }

    /**
     * The partner and consent of {@code userId}'s row of a conversation, without its last message:
     * what every send checks (docs/decisions/0072-websocket-message-cpu-2.md). Empty if the user has no row. The
     * default reads the whole row ({@link #inboxEntry}); a store may read less.
     */
    default Optional<Contact> contact(String userId, String conversationId) {
        return inboxEntry(userId, conversationId).map(e -> new Contact(e.peerId(), e.consent()));
    }

    /**
     * Account deletion (docs/audit.md, "Deletion"): replaces every message {@code senderId} sent
     * in the conversation by a tombstone ({@link Content#deleted()}: no text, no media, no quote), keeping
     * its id, times, recipient and {@code readAt}, so that the peer's history, unread count and
     * read receipts stay as they were. The peer's messages are never changed. Reads the
     * conversation by its key (never a scan); idempotent.
     *
     * @return the media the replaced messages carried (each once), whose records and bytes the
     *     caller deletes
     */
    List<MediaRef> eraseMessagesOf(String conversationId, String senderId);

    /**
     * Account deletion (docs/audit.md, "Deletion"): removes what is left of a request that
     * {@code requesterId} made and that was never accepted, once the requester's account is being
     * deleted: {@code recipientId}'s inbox row and every message of the conversation (all the
     * requester's: a request holds at most its introduction; the recipient's first message would
     * have accepted it), with their idempotency guards, in one atomic write, and only if the
     * recipient's row still names {@code requesterId} as the requester (an accepted conversation
     * has none). The requester's own row stays until its account is gone. Idempotent.
     *
     * @return whether the recipient's row was removed now
     */
    boolean removeRequest(String conversationId, String requesterId, String recipientId);

    /**
     * Retention (docs/audit.md, "Retention"): deletes up to {@code limit} of the conversation's
     * oldest messages that were created before {@code cutoff} (in id order, stopping at the first
     * newer one), each with its idempotency guard, and lowers each recipient's unread count by the
     * unread ones deleted, atomically with them. An inbox row whose last message is deleted shows
     * none. Reads the conversation by its key.
     *
     * @return the deleted messages (the caller deletes the records and bytes of their media);
     *     fewer than {@code limit} means none older is left
     */
    List<Message> deleteMessagesBefore(String conversationId, Instant cutoff, int limit);

    /**
     * Search (docs/api.md, "Search"): the text messages that match {@code query} in the
     * conversation {@code conversationId}, or, if it is null, in every conversation {@code userId}
     * has an inbox row for (never another's). Only {@link Content#TEXT} messages match: photos,
     * videos, tombstones and messages whose text was cleared never do; an edited text matches by
     * its current words. Order: within a conversation newest first by message id; across,
     * by {@code createdAt} newest first, then conversation id and message id, both descending.
     *
     * <p>{@code position} is null for the first page, else a {@link Page#nextCursor()} this method
     * returned for the same arguments (a raw position; the service signs it). A page holds at
     * most {@code limit} messages; it may hold fewer, even none, while its next cursor is not
     * null, when the store stopped at its read budget (DynamoDB: docs/data-model.md, "Search").
     * Following the cursors to the end gives every match once, in order.
     */
    Page<Message> search(String userId, String conversationId, SearchQuery query, int limit, String position);

    /** Digits of the sequence number in a message id: 10^12 messages per conversation. */
    int SEQUENCE_DIGITS = 12;
    Pattern MESSAGE_ID = Pattern.compile("[0-9]{12}-[A-Za-z0-9_-]{8}");

    /**
     * The message id for the conversation's {@code sequence}-th message: the sequence number,
     * zero-padded so that ids sort as strings in sequence order, then 8 random URL-safe
     * characters that make the id unique across conversations (clients drop duplicates by
     * messageId).
     */
    static String messageId(long sequence) {
        return messageId(sequence, messageIdSuffix());
    }

    /**
     * As {@link #messageId(long)}, with the random part drawn before (by {@link #messageIdSuffix}),
     * so that a store can draw it outside the section that assigns the sequence.
     */
    static String messageId(long sequence, String suffix) {
        if (sequence < 1 || sequence >= 1_000_000_000_000L) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        String digits = Long.toString(sequence);
        return "0".repeat(SEQUENCE_DIGITS - digits.length()) + digits + '-' + suffix;
    }

    /** The random part of a message id: 8 URL-safe characters. */
    static String messageIdSuffix() {
        return chatapp.core.Ids.randomToken(6);
    }

    /** The sequence number of a message id made by {@link #messageId}. */
    static long sequenceOf(String messageId) {
        return Long.parseLong(messageId, 0, SEQUENCE_DIGITS, 10);
    }

    /** Whether {@code value} has the shape of a message id. */
    static boolean isMessageId(String value) {
        return value != null && MESSAGE_ID.matcher(value).matches();
    }
}
