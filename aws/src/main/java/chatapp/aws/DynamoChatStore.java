package chatapp.aws;

import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConversationState;
import chatapp.chat.InboxEntry;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.chat.SearchQuery;
import chatapp.chat.Sent;
import chatapp.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ChatStore} on DynamoDB (docs/decisions/0011-chat-dynamodb-keys-and-order.md, docs/data-model.md):
 * messages in {@link Messages}, inbox rows in {@link Inboxes}. This class holds the
 * transactions that span both, and with them the invariants:
 *
 * <p>A conversation is its conversation item and both inbox rows, only ever written together.
 *
 * <p>A send is one TransactWriteItems: advance {@code lastSeq} from the value read (condition:
 * unchanged), put the guard (condition: absent), put the message, update both inbox rows. A
 * concurrent send makes the condition fail and the loser retries with the next number, so no
 * message can commit with a smaller id than one already visible: id order is commit order.
 *
 * <p>Marking read lowers the reader's unread count by exactly the messages it marks, in the
 * same transaction (see {@link #markRead}).
 */
public final class DynamoChatStore implements ChatStore {

    /** DynamoDB: at most 100 items per TransactWriteItems; one is the reader's inbox row. */
    static final int READ_CHUNK = 99;

    private final DynamoDbClient dynamo;
    private final Messages messages;
    private final Inboxes inboxes;
    private final ConversationSearch search;

    public DynamoChatStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this(dynamo, settings, null);
    }

    /**
     * @param retention how long messages are kept (docs/audit.md, "Retention"): each message
     *     carries the TTL attribute {@link Tables#EXPIRES_AT} its creation plus this, and reads
     *     leave out messages older than this that TTL has not deleted yet; null keeps them for ever
     */
    public DynamoChatStore(DynamoDbClient dynamo, DynamoSettings settings, java.time.Duration retention) {
        this(dynamo, settings, retention, ConversationSearch.READ_BUDGET);
    }

    /** As above, with {@code searchBudget} message items read per search request at most (tests). */
    DynamoChatStore(DynamoDbClient dynamo, DynamoSettings settings, java.time.Duration retention, int searchBudget) {
        this.dynamo = dynamo;
        this.messages = new Messages(dynamo, settings, retention);
        this.inboxes = new Inboxes(dynamo, settings);
        this.search = new ConversationSearch(messages, inboxes, searchBudget);
    }

    @Override
    public boolean createConversation(String conversationId, String userId, String peerId, Instant at,
            Consent consent) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(
                        messages.putConversation(conversationId, at),
                        inboxes.putNew(userId, conversationId, peerId, at, consent),
                        inboxes.putNew(peerId, conversationId, userId, at, consent)));
                return true;
            } catch (TransactionCanceledException e) {
                if (onlyConditionsFailed(e)) {
                    return false; // it exists: the three items are only ever written together
                }
                if (!RetryPolicy.isTransient(e)) {
                    throw e;
                }
                RetryPolicy.DEFAULT.pause(attempt, e);
            }
        }
    }

    /** One TransactWriteItems over both rows, conditioned on the caller's row holding {@code expected}. */
    @Override
    public boolean changeConsent(String conversationId, String userId, String peerId, Consent expected, Consent next) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(
                        inboxes.changeConsent(userId, conversationId, expected, next),
                        inboxes.changeConsent(peerId, conversationId, null, next)));
                return true;
            } catch (TransactionCanceledException e) {
                if (onlyConditionsFailed(e)) {
                    return false;
                }
                if (!RetryPolicy.isTransient(e)) {
                    throw e;
                }
                RetryPolicy.DEFAULT.pause(attempt, e);
            }
        }
    }

    /** Search by the conversations' key ranges, matched in Java: {@link ConversationSearch}. */
    @Override
    public Page<Message> search(String userId, String conversationId, SearchQuery query, int limit, String position) {
        return search.search(userId, conversationId, query, limit, position);
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String userId, String conversationId) {
        return inboxes.find(userId, conversationId).map(row -> entries(List.of(row)).getFirst());
    }

    @Override
    public Page<InboxEntry> inbox(String userId, Folder folder, int limit, String position) {
        Inboxes.RowPage page = inboxes.byActivity(userId, folder, limit, position);
        return new Page<>(entries(page.rows()), page.next());
    }

    /** Inbox rows with their last messages, fetched by key in one batch. */
    private List<InboxEntry> entries(List<Inboxes.Row> rows) {
        List<Map.Entry<String, String>> ids = new ArrayList<>();
        for (Inboxes.Row row : rows) {
            if (row.lastMessageId() != null) {
                ids.add(Map.entry(row.conversationId(), row.lastMessageId()));
            }
        }
        Map<String, Message> last = new HashMap<>();
        for (Message m : messages.findAll(ids)) {
            last.put(m.conversationId() + "/" + m.messageId(), m);
        }
        List<InboxEntry> entries = new ArrayList<>(rows.size());
        for (Inboxes.Row row : rows) {
            Message m = row.lastMessageId() != null ? last.get(row.conversationId() + "/" + row.lastMessageId()) : null;
            entries.add(new InboxEntry(row.userId(), row.conversationId(), row.peerId(), m, row.unreadCount(),
                    row.updatedAt(), row.consent()));
        }
        return entries;
    }

    @Override
    public Sent send(NewMessage m) {
        for (int attempt = 1; ; attempt++) {
            OptionalLong last = messages.lastSequence(m.conversationId());
            if (last.isEmpty()) {
                throw new IllegalStateException("conversation " + m.conversationId() + " does not exist");
            }
            if (m.introduction() && last.getAsLong() > 0) {
                // one introduction (ChatStore#send): the sequence condition below makes "first" atomic
                Optional<Message> original = messages.original(m.conversationId(), m.senderId(), m.clientMessageId());
                if (original.isPresent()) {
                    return new Sent(original.get(), false);
                }
                throw new ChatStore.NotFirst(m.conversationId());
            }
            Message stored = m.withId(ChatStore.messageId(last.getAsLong() + 1));
            try {
                dynamo.transactWriteItems(t -> t.transactItems(
                        messages.advanceSequence(m.conversationId(), last.getAsLong()),
                        messages.putGuard(stored),
                        messages.putNew(stored),
                        inboxes.touch(stored.senderId(), stored, false),
                        inboxes.touch(stored.recipientId(), stored, true)));
                return new Sent(stored, true);
            } catch (TransactionCanceledException e) {
                Optional<Message> original = messages.original(m.conversationId(), m.senderId(), m.clientMessageId());
                if (original.isPresent()) {
                    return new Sent(original.get(), false);
                }
                if (inboxes.find(m.senderId(), m.conversationId())
                        .filter(row -> row.consent().state() == ConversationState.BLOCKED).isPresent()) {
                    // Blocked (or closed by an account's deletion) since the service's check (ChatStore#send).
                    throw new ChatStore.Closed(m.conversationId());
                }
                // Another send took this number (or the transaction met another): read the next one and try again.
                RetryPolicy.DEFAULT.pause(attempt, e);
            }
        }
    }

    @Override
    public Optional<Message> message(String conversationId, String messageId) {
        if (!ChatStore.isMessageId(messageId)) {
            return Optional.empty(); // never a guard or the conversation item
        }
        return messages.find(conversationId, messageId);
    }

    @Override
    public List<Message> before(String conversationId, String beforeMessageId, int limit) {
        return messages.before(conversationId, beforeMessageId, limit);
    }

    @Override
    public List<Message> after(String conversationId, String afterMessageId, int limit) {
        return messages.after(conversationId, afterMessageId, limit);
    }

    /**
     * Marks read in transactions of up to {@value #READ_CHUNK} messages plus the reader's inbox
     * row (DynamoDB's limit is 100 items). Each message is updated only if it has no
     * {@code readAt} yet, and the same transaction lowers the unread count by exactly the number
     * it updates and moves the read watermark forward, so counts stay exact under concurrent
     * readers and senders. A lost race (another device marked some of them) cancels the whole
     * chunk; it is retried from the fresh watermark. Only messages past the watermark are read.
     */
    @Override
    public int markRead(String conversationId, String readerId, String upToMessageId, Instant readAt) {
        int total = 0;
        for (int attempt = 1; ; attempt++) {
            Inboxes.Row row = inboxes.find(readerId, conversationId).orElseThrow(
                    () -> new IllegalStateException(readerId + " has no row for conversation " + conversationId));
            String watermark = row.readUpTo();
            if (watermark != null && watermark.compareTo(upToMessageId) >= 0) {
                return total;
            }
            try {
                total += markChunks(conversationId, readerId, watermark, upToMessageId, readAt);
                return total;
            } catch (ChunkLost e) {
                total += e.done;
                RetryPolicy.DEFAULT.pause(attempt, e.cause);
            }
        }
    }

    private int markChunks(String conversationId, String readerId, String watermark, String upTo, Instant readAt) {
        int[] done = {0};
        List<String> chunk = new ArrayList<>(READ_CHUNK);
        messages.forEachUnread(conversationId, readerId, watermark, upTo, id -> {
            chunk.add(id);
            if (chunk.size() == READ_CHUNK) {
                done[0] += commitChunk(conversationId, readerId, chunk, chunk.getLast(), readAt, done[0]);
                chunk.clear();
            }
        });
        done[0] += commitChunk(conversationId, readerId, chunk, upTo, readAt, done[0]);
        return done[0];
    }

    /** One transaction: the chunk's messages read, unread count lowered by as many, watermark moved. */
    private int commitChunk(String conversationId, String readerId, List<String> messageIds, String watermark,
            Instant readAt, int doneBefore) {
        List<TransactWriteItem> items = new ArrayList<>(messageIds.size() + 1);
        for (String id : messageIds) {
            items.add(messages.markRead(conversationId, id, readerId, readAt));
        }
        items.add(inboxes.advanceWatermark(readerId, conversationId, watermark, messageIds.size()));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(items));
            return messageIds.size();
        } catch (TransactionCanceledException e) {
            if (messageIds.isEmpty() && onlyConditionsFailed(e)) {
                return 0; // the watermark is already further: someone else read up to here
            }
            throw new ChunkLost(doneBefore, e);
        }
    }

    /** A chunk lost a race; {@code done} messages were marked by this call before it. */
    private static final class ChunkLost extends RuntimeException {
        final int done;
        final TransactionCanceledException cause;

        ChunkLost(int done, TransactionCanceledException cause) {
            super(null, null, false, false);
            this.done = done;
            this.cause = cause;
        }
    }

    /**
     * Marks delivered past the recipient's delivery watermark ({@code deliveredUpTo}, or the read
     * watermark if further: read implies delivered), each message by a conditional update (no
     * count depends on it, so no transaction), then moves the watermark forward. Repeats read
     * nothing past the watermark.
     */
    @Override
    public int markDelivered(String conversationId, String recipientId, String upToMessageId, Instant deliveredAt) {
        Inboxes.Row row = inboxes.find(recipientId, conversationId).orElseThrow(
                () -> new IllegalStateException(recipientId + " has no row for conversation " + conversationId));
        String from = row.readUpTo();
        if (row.deliveredUpTo() != null && (from == null || row.deliveredUpTo().compareTo(from) > 0)) {
            from = row.deliveredUpTo();
        }
        if (from != null && from.compareTo(upToMessageId) >= 0) {
            return 0;
        }
        int[] marked = {0};
        messages.forEachUndelivered(conversationId, recipientId, from, upToMessageId, id -> {
            if (messages.markDelivered(conversationId, id, recipientId, deliveredAt)) {
                marked[0]++;
            }
        });
        inboxes.advanceDelivered(recipientId, conversationId, upToMessageId);
        return marked[0];
    }

    @Override
    public Optional<Message> edit(String conversationId, String messageId, String senderId, String text,
            Instant editedAt) {
        return ChatStore.isMessageId(messageId) ? messages.edit(conversationId, messageId, senderId, text, editedAt)
                : Optional.empty();
    }

    /** One conditional update of the message item: the inbox rows name it by id, so they show the tombstone. */
    @Override
    public Optional<Message> sentAs(String conversationId, String senderId, String clientMessageId) {
        return messages.original(conversationId, senderId, clientMessageId);
    }

    @Override
    public Optional<Message> deleteForEveryone(String conversationId, String messageId, String senderId,
            Instant deletedAt) {
        return ChatStore.isMessageId(messageId)
                ? messages.deleteForEveryone(conversationId, messageId, senderId, deletedAt) : Optional.empty();
    }

    /**
     * Account deletion: the sender's messages by the conversation's key range, each turned into a
     * tombstone by its own update (not one transaction: a conversation may hold more than 100;
     * every update is idempotent, so a deletion cut off half way is completed by running it again).
     */
    @Override
    public List<chatapp.chat.MediaRef> eraseMessagesOf(String conversationId, String senderId) {
        Map<String, chatapp.chat.MediaRef> media = new LinkedHashMap<>();
        for (Message m : messages.sentBy(conversationId, senderId)) {
            if (m.media() != null) {
                media.putIfAbsent(m.media().mediaId(), m.media());
            }
            messages.erase(conversationId, m.messageId());
        }
        return List.copyOf(media.values());
    }

    /**
     * One transaction: the recipient's row, on condition that it still names the requester, and
     * the conversation's messages with their guards (a request holds at most its introduction).
     */
    @Override
    public boolean removeRequest(String conversationId, String requesterId, String recipientId) {
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(inboxes.deleteRequest(recipientId, conversationId, requesterId));
            for (Message m : messages.oldest(conversationId, EXPIRE_CHUNK)) {
                items.add(messages.deleteAsRead(m));
                items.add(messages.deleteGuard(m));
            }
            try {
                dynamo.transactWriteItems(t -> t.transactItems(items));
                return true;
            } catch (TransactionCanceledException e) {
                if (!e.hasCancellationReasons() || !"ConditionalCheckFailed".equals(e.cancellationReasons().getFirst().code())) {
                    RetryPolicy.DEFAULT.pause(attempt, e); // a message changed meanwhile, or a transient failure
                    continue;
                }
                return false; // removed before, or accepted meanwhile
            }
        }
    }

    /** Messages deleted per transaction: each with its guard, plus at most two inbox rows (DynamoDB: 100 items). */
    static final int EXPIRE_CHUNK = 40;

    /**
     * Retention: reads the oldest messages by the conversation's key range and deletes the leading
     * expired ones in transactions of {@value #EXPIRE_CHUNK}, each with their guards and the
     * recipients' unread counts lowered by the unread ones. A message read meanwhile cancels its
     * transaction, which is read again and retried, so counts stay exact.
     */
    @Override
    public List<Message> deleteMessagesBefore(String conversationId, Instant cutoff, int limit) {
        List<Message> deleted = new ArrayList<>();
        for (int attempt = 1; deleted.size() < limit; ) {
            List<Message> chunk = new ArrayList<>();
            for (Message m : messages.oldest(conversationId, Math.min(EXPIRE_CHUNK, limit - deleted.size()))) {
                if (!m.createdAt().isBefore(cutoff)) {
                    break;
                }
                chunk.add(m);
            }
            if (chunk.isEmpty()) {
                break;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            Map<String, Integer> unread = new HashMap<>();
            for (Message m : chunk) {
                items.add(messages.deleteAsRead(m));
                items.add(messages.deleteGuard(m));
                if (m.readAt() == null) {
                    unread.merge(m.recipientId(), 1, Integer::sum);
                }
            }
            unread.forEach((user, n) -> items.add(inboxes.lowerUnread(user, conversationId, n)));
            try {
                dynamo.transactWriteItems(t -> t.transactItems(items));
                deleted.addAll(chunk);
                if (chunk.size() < EXPIRE_CHUNK) {
                    break;
                }
            } catch (TransactionCanceledException e) {
                RetryPolicy.DEFAULT.pause(attempt++, e); // read meanwhile: read the chunk again
            }
        }
        return deleted;
    }

    @Override
    public List<Contact> contacts(String userId) {
        return inboxes.contacts(userId);
    }

    /**
     * Bulk load of existing messages into existing conversations (seeding, benchmarks, imports)
     * with BatchWriteItem: the messages, then each conversation's sequence and both inbox rows
     * (newest message, unread counts). Imported messages get no idempotency guard: no client
     * can retry a send it never made. Not atomic and not for use while the conversation takes
     * sends; ids must come from {@link ChatStore#messageId} and be newer than any stored message
     * of their conversation.
     */
    public void importMessages(List<Message> imported) {
        messages.importAll(imported);
        Map<String, List<Message>> byConversation = new LinkedHashMap<>();
        for (Message m : imported) {
            byConversation.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
        }
        for (List<Message> ms : byConversation.values()) {
            Message newest = ms.stream().max(Comparator.comparing(Message::messageId)).orElseThrow();
            messages.setSequence(newest);
            Map<String, Long> unread = new HashMap<>(Map.of(newest.senderId(), 0L, newest.recipientId(), 0L));
            for (Message m : ms) {
                if (m.readAt() == null) {
                    unread.merge(m.recipientId(), 1L, Long::sum);
                }
            }
            unread.forEach((user, count) -> inboxes.addImported(user, newest, count));
        }
    }

    private static boolean onlyConditionsFailed(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        boolean any = false;
        for (CancellationReason r : e.cancellationReasons()) {
            String code = r.code();
            if ("ConditionalCheckFailed".equals(code)) {
                any = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return any;
    }
}
