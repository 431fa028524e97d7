package chatapp.aws;

import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.InboxEntry;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.chat.Sent;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link ChatStore} on DynamoDB (docs/decisions/0011-chat-dynamodb-keys-and-order.md, docs/data-model.md).
 *
 * <p>{@code chats}, partition {@code conversationId}: the messages (sort key = message id, which
 * starts with a digit), the conversation item {@code #conversation} holding the last assigned
 * sequence number, and one idempotency guard {@code #client#<senderId>#<clientMessageId>} per
 * message (per sender: both participants may pick the same clientMessageId).
 * {@code conversations}, partition {@code userId}: one inbox row per conversation, indexed by
 * {@code activity} in {@code by-activity}.
 *
 * <p>A send is one TransactWriteItems: advance {@code lastSeq} from the value read (condition:
 * unchanged), put the guard (condition: absent), put the message, update both inbox rows. A
 * concurrent send makes the condition fail and the loser retries with the next number, so no
 * message can commit with a smaller id than one already visible: id order is commit order.
 */
public final class DynamoChatStore implements ChatStore {

    // chats
    static final String CONVERSATION_ID = "conversationId";
    static final String MESSAGE_ID = "messageId";
    static final String SENDER_ID = "senderId";
    static final String RECIPIENT_ID = "recipientId";
    static final String CREATED_AT = "createdAt";
    static final String CONTENT = "content";
    static final String CONTENT_TYPE = "contentType";
    static final String VALUE = "value";
    static final String MEDIA = "media";
    static final String MEDIA_ID = "mediaId";
    static final String SIZE = "size";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    static final String DURATION_MS = "durationMs";
    static final String CLIENT_MESSAGE_ID = "clientMessageId";
    static final String READ_AT = "readAt";
    static final String LAST_SEQ = "lastSeq";
    static final String TARGET = "target";
    /** Sort key of the conversation item; '#' sorts before every message id (they start with a digit). */
    static final String CONVERSATION_ITEM = "#conversation";
    static final String GUARD_PREFIX = "#client#";
    /** Lowest possible message id: key ranges from here on hold messages only. */
    private static final String FIRST_MESSAGE = "0";

    // conversations
    static final String USER_ID = "userId";
    static final String PEER_ID = "peerId";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    static final String UNREAD_COUNT = "unreadCount";
    static final String UPDATED_AT = "updatedAt";
    static final String ACTIVITY = "activity";
    /** Read watermark: every message to this user up to this id is read. */
    static final String READ_UP_TO = "readUpTo";
    static final String BY_ACTIVITY = "by-activity";

    /** DynamoDB: at most 100 items per TransactWriteItems; one is the reader's inbox row. */
    static final int READ_CHUNK = 99;
    private static final int MAX_ATTEMPTS = 60;

    private final DynamoDbClient dynamo;
    private final String chats;
    private final String conversations;

    public DynamoChatStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.chats = settings.tableName(Tables.CHATS.name());
        this.conversations = settings.tableName(Tables.CONVERSATIONS.name());
    }

    @Override
    public boolean createConversation(String conversationId, String userId, String peerId, Instant at) {
        Map<String, AttributeValue> conversation = Map.of(
                CONVERSATION_ID, s(conversationId), MESSAGE_ID, s(CONVERSATION_ITEM),
                LAST_SEQ, n(0), CREATED_AT, n(at.toEpochMilli()));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(
                        putIfAbsent(chats, conversation, MESSAGE_ID),
                        putIfAbsent(conversations, row(userId, conversationId, peerId, at), USER_ID),
                        putIfAbsent(conversations, row(peerId, conversationId, userId, at), USER_ID)));
                return true;
            } catch (TransactionCanceledException e) {
                if (onlyConditionsFailed(e)) {
                    return false; // it exists: the three items are only ever written together
                }
                backOff(attempt, e);
            }
        }
    }

    private static Map<String, AttributeValue> row(String userId, String conversationId, String peerId, Instant at) {
        return Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId), PEER_ID, s(peerId),
                UNREAD_COUNT, n(0), UPDATED_AT, n(at.toEpochMilli()), ACTIVITY, s(activity(at, conversationId)));
    }

    /** The by-activity sort key: zero-padded epoch millis, then the id to make it unique. */
    static String activity(Instant at, String conversationId) {
        return String.format("%015d#%s", at.toEpochMilli(), conversationId);
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String userId, String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(conversations).consistentRead(true)
                .key(Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(entries(List.of(item)).getFirst());
    }

    @Override
    public Page<InboxEntry> inbox(String userId, int limit, String position) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        if (position != null) {
            String conversationId = position.substring(position.indexOf('#') + 1);
            start = Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId), ACTIVITY, s(position));
        }
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(q -> q.tableName(conversations).indexName(BY_ACTIVITY)
                    .keyConditionExpression("#u = :u")
                    .expressionAttributeNames(Map.of("#u", USER_ID))
                    .expressionAttributeValues(Map.of(":u", s(userId)))
                    .scanIndexForward(false)
                    .limit(limit + 1 - rows.size())
                    .exclusiveStartKey(from));
            rows.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (rows.size() <= limit && start != null);
        boolean more = rows.size() > limit;
        List<InboxEntry> page = entries(more ? rows.subList(0, limit) : rows);
        return new Page<>(page, more ? rows.get(limit - 1).get(ACTIVITY).s() : null);
    }

    /** Inbox rows with their last messages, fetched by key in one batch. */
    private List<InboxEntry> entries(List<Map<String, AttributeValue>> rows) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (Map<String, AttributeValue> row : rows) {
            if (row.containsKey(LAST_MESSAGE_ID)) {
                keys.add(Map.of(CONVERSATION_ID, row.get(CONVERSATION_ID), MESSAGE_ID, row.get(LAST_MESSAGE_ID)));
            }
        }
        Map<String, Message> last = new HashMap<>();
        for (Message m : batchGet(keys)) {
            last.put(m.conversationId() + "/" + m.messageId(), m);
        }
        List<InboxEntry> entries = new ArrayList<>(rows.size());
        for (Map<String, AttributeValue> row : rows) {
            String conversationId = row.get(CONVERSATION_ID).s();
            Message m = row.containsKey(LAST_MESSAGE_ID)
                    ? last.get(conversationId + "/" + row.get(LAST_MESSAGE_ID).s()) : null;
            entries.add(new InboxEntry(row.get(USER_ID).s(), conversationId, row.get(PEER_ID).s(), m,
                    Long.parseLong(row.get(UNREAD_COUNT).n()), Instant.ofEpochMilli(Long.parseLong(row.get(UPDATED_AT).n()))));
        }
        return entries;
    }

    private List<Message> batchGet(List<Map<String, AttributeValue>> keys) {
        List<Message> found = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(chats, KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> ask = request;
                var r = dynamo.batchGetItem(b -> b.requestItems(ask));
                r.responses().getOrDefault(chats, List.of()).forEach(item -> found.add(message(item)));
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backOff(attempt, null);
                }
            }
        }
        return found;
    }

    @Override
    public Sent send(NewMessage m) {
        Map<String, AttributeValue> conversationKey = key(m.conversationId(), CONVERSATION_ITEM);
        Map<String, AttributeValue> guardKey = key(m.conversationId(), guardKey(m.senderId(), m.clientMessageId()));
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> conversation = dynamo.getItem(g -> g.tableName(chats).consistentRead(true)
                    .key(conversationKey)).item();
            if (conversation == null || conversation.isEmpty()) {
                throw new IllegalStateException("conversation " + m.conversationId() + " does not exist");
            }
            long last = Long.parseLong(conversation.get(LAST_SEQ).n());
            Message stored = m.withId(ChatStore.messageId(last + 1));
            Map<String, AttributeValue> guard = new HashMap<>(guardKey);
            guard.put(TARGET, s(stored.messageId()));
            try {
                dynamo.transactWriteItems(t -> t.transactItems(
                        TransactWriteItem.builder().update(u -> u.tableName(chats).key(conversationKey)
                                .updateExpression("SET #s = :next")
                                .conditionExpression("#s = :last")
                                .expressionAttributeNames(Map.of("#s", LAST_SEQ))
                                .expressionAttributeValues(Map.of(":next", n(last + 1), ":last", n(last)))).build(),
                        putIfAbsent(chats, guard, MESSAGE_ID),
                        putIfAbsent(chats, item(stored), MESSAGE_ID),
                        touchRow(stored.senderId(), stored, false),
                        touchRow(stored.recipientId(), stored, true)));
                return new Sent(stored, true);
            } catch (TransactionCanceledException e) {
                Optional<Message> original = original(guardKey);
                if (original.isPresent()) {
                    return new Sent(original.get(), false);
                }
                backOff(attempt, e); // another send took this number: read the next one and try again
            }
        }
    }

    /**
     * Sort key of the idempotency guard of one sender's clientMessageId. Neither part can hold
     * a '#' (user ids and clientMessageIds are URL-safe base64 characters), so keys cannot collide.
     */
    static String guardKey(String senderId, String clientMessageId) {
        return GUARD_PREFIX + senderId + "#" + clientMessageId;
    }

    private Optional<Message> original(Map<String, AttributeValue> guardKey) {
        Map<String, AttributeValue> guard = dynamo.getItem(g -> g.tableName(chats).consistentRead(true)
                .key(guardKey)).item();
        if (guard == null || guard.isEmpty()) {
            return Optional.empty();
        }
        return message(guardKey.get(CONVERSATION_ID).s(), guard.get(TARGET).s());
    }

    private TransactWriteItem touchRow(String userId, Message m, boolean unread) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":id", s(m.messageId()),
                ":t", n(m.createdAt().toEpochMilli()), ":a", s(activity(m.createdAt(), m.conversationId()))));
        String update = "SET #l = :id, #t = :t, #a = :a";
        Map<String, String> names = new HashMap<>(Map.of("#l", LAST_MESSAGE_ID, "#t", UPDATED_AT, "#a", ACTIVITY,
                "#u", USER_ID));
        if (unread) {
            update += " ADD #n :one";
            names.put("#n", UNREAD_COUNT);
            values.put(":one", n(1));
        }
        String expression = update;
        return TransactWriteItem.builder().update(u -> u.tableName(conversations)
                .key(Map.of(USER_ID, s(userId), CONVERSATION_ID, s(m.conversationId())))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(#u)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    @Override
    public Optional<Message> message(String conversationId, String messageId) {
        if (!ChatStore.isMessageId(messageId)) {
            return Optional.empty(); // never a guard or the conversation item
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(chats).consistentRead(true)
                .key(key(conversationId, messageId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(message(item));
    }

    @Override
    public List<Message> before(String conversationId, String beforeMessageId, int limit) {
        // Messages only ('0' and up), newest first, starting after the cursor's message.
        Map<String, AttributeValue> start = beforeMessageId == null ? null : key(conversationId, beforeMessageId);
        return messages(conversationId, "#m >= :from", FIRST_MESSAGE, false, start, limit);
    }

    @Override
    public List<Message> after(String conversationId, String afterMessageId, int limit) {
        return messages(conversationId, "#m > :from", afterMessageId == null ? "" : afterMessageId, true, null, limit);
    }

    /** One key-range read of a conversation's messages, paged past DynamoDB's 1 MB answers. */
    private List<Message> messages(String conversationId, String range, String from, boolean forward,
            Map<String, AttributeValue> start, int limit) {
        List<Message> found = new ArrayList<>();
        Map<String, AttributeValue> next = start;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(chats).consistentRead(true)
                    .keyConditionExpression("#c = :c AND " + range)
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID))
                    .expressionAttributeValues(Map.of(":c", s(conversationId), ":from", s(from)))
                    .scanIndexForward(forward)
                    .limit(limit - found.size())
                    .exclusiveStartKey(exclusiveStart));
            r.items().forEach(item -> found.add(message(item)));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (found.size() < limit && next != null);
        return found;
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
        Map<String, AttributeValue> rowKey = Map.of(USER_ID, s(readerId), CONVERSATION_ID, s(conversationId));
        int total = 0;
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> row = dynamo.getItem(g -> g.tableName(conversations).consistentRead(true)
                    .key(rowKey)).item();
            if (row == null || row.isEmpty()) {
                throw new IllegalStateException(readerId + " has no row for conversation " + conversationId);
            }
            String watermark = row.containsKey(READ_UP_TO) ? row.get(READ_UP_TO).s() : null;
            if (watermark != null && watermark.compareTo(upToMessageId) >= 0) {
                return total;
            }
            try {
                total += markChunks(conversationId, readerId, rowKey, watermark, upToMessageId, readAt);
                return total;
            } catch (ChunkLost e) {
                total += e.done;
                backOff(attempt, e.cause);
            }
        }
    }

    private int markChunks(String conversationId, String readerId, Map<String, AttributeValue> rowKey,
            String watermark, String upTo, Instant readAt) {
        int done = 0;
        List<String> chunk = new ArrayList<>(READ_CHUNK);
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(chats).consistentRead(true)
                    .keyConditionExpression("#c = :c AND #m BETWEEN :lo AND :hi")
                    .filterExpression("#r = :r AND attribute_not_exists(#ra)")
                    .projectionExpression("#m")
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID, "#r", RECIPIENT_ID,
                            "#ra", READ_AT))
                    .expressionAttributeValues(Map.of(":c", s(conversationId),
                            ":lo", s(watermark == null ? FIRST_MESSAGE : watermark), ":hi", s(upTo), ":r", s(readerId)))
                    .exclusiveStartKey(exclusiveStart));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            for (Map<String, AttributeValue> item : r.items()) {
                chunk.add(item.get(MESSAGE_ID).s());
                if (chunk.size() == READ_CHUNK) {
                    done += commitChunk(conversationId, readerId, rowKey, chunk, chunk.getLast(), readAt, done);
                    chunk.clear();
                }
            }
        } while (next != null);
        done += commitChunk(conversationId, readerId, rowKey, chunk, upTo, readAt, done);
        return done;
    }

    /** One transaction: the chunk's messages read, unread count lowered by as many, watermark moved. */
    private int commitChunk(String conversationId, String readerId, Map<String, AttributeValue> rowKey,
            List<String> messageIds, String watermark, Instant readAt, int doneBefore) {
        List<TransactWriteItem> items = new ArrayList<>(messageIds.size() + 1);
        for (String id : messageIds) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(chats).key(key(conversationId, id))
                    .updateExpression("SET #ra = :t")
                    .conditionExpression("attribute_not_exists(#ra) AND #r = :r")
                    .expressionAttributeNames(Map.of("#ra", READ_AT, "#r", RECIPIENT_ID))
                    .expressionAttributeValues(Map.of(":t", n(readAt.toEpochMilli()), ":r", s(readerId)))).build());
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":w", s(watermark)));
        String update = "SET #w = :w";
        if (!messageIds.isEmpty()) {
            update += " ADD #n :minus";
            values.put(":minus", n(-messageIds.size()));
        }
        String expression = update;
        items.add(TransactWriteItem.builder().update(u -> u.tableName(conversations).key(rowKey)
                .updateExpression(expression)
                .conditionExpression("attribute_not_exists(#w) OR #w < :w")
                .expressionAttributeNames(messageIds.isEmpty() ? Map.of("#w", READ_UP_TO)
                        : Map.of("#w", READ_UP_TO, "#n", UNREAD_COUNT))
                .expressionAttributeValues(values)).build());
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

    @Override
    public List<String> peers(String userId) {
        List<String> peers = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(conversations)
                    .keyConditionExpression("#u = :u")
                    .projectionExpression("#p")
                    .expressionAttributeNames(Map.of("#u", USER_ID, "#p", PEER_ID))
                    .expressionAttributeValues(Map.of(":u", s(userId)))
                    .exclusiveStartKey(exclusiveStart));
            r.items().forEach(item -> peers.add(item.get(PEER_ID).s()));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (next != null);
        return peers;
    }

    /**
     * Bulk load of existing messages into existing conversations (seeding, benchmarks, imports)
     * with BatchWriteItem: the messages, then each conversation's sequence and both inbox rows
     * (newest message, unread counts). Imported messages get no idempotency guard: no client
     * can retry a send it never made. Not atomic and not for use while the conversation takes
     * sends; ids must come from {@link ChatStore#messageId} and be newer than any stored message
     * of their conversation.
     */
    public void importMessages(List<Message> messages) {
        List<WriteRequest> writes = new ArrayList<>();
        Map<String, List<Message>> byConversation = new LinkedHashMap<>();
        for (Message m : messages) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(m)).build()).build());
            byConversation.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
        }
        for (int i = 0; i < writes.size(); i += 25) { // DynamoDB: 25 items per BatchWriteItem
            Map<String, List<WriteRequest>> request = Map.of(chats, writes.subList(i, Math.min(writes.size(), i + 25)));
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> ask = request;
                var r = dynamo.batchWriteItem(b -> b.requestItems(ask));
                request = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                if (!request.isEmpty()) {
                    backOff(attempt, null);
                }
            }
        }
        for (List<Message> ms : byConversation.values()) {
            Message newest = ms.stream().max(Comparator.comparing(Message::messageId)).orElseThrow();
            dynamo.updateItem(u -> u.tableName(chats).key(key(newest.conversationId(), CONVERSATION_ITEM))
                    .updateExpression("SET #s = :s")
                    .expressionAttributeNames(Map.of("#s", LAST_SEQ))
                    .expressionAttributeValues(Map.of(":s", n(ChatStore.sequenceOf(newest.messageId())))));
            Map<String, Long> unread = new HashMap<>(Map.of(newest.senderId(), 0L, newest.recipientId(), 0L));
            for (Message m : ms) {
                if (m.readAt() == null) {
                    unread.merge(m.recipientId(), 1L, Long::sum);
                }
            }
            unread.forEach((user, count) -> dynamo.updateItem(u -> u.tableName(conversations)
                    .key(Map.of(USER_ID, s(user), CONVERSATION_ID, s(newest.conversationId())))
                    .updateExpression("SET #l = :id, #t = :t, #a = :a ADD #n :n")
                    .expressionAttributeNames(Map.of("#l", LAST_MESSAGE_ID, "#t", UPDATED_AT, "#a", ACTIVITY,
                            "#n", UNREAD_COUNT))
                    .expressionAttributeValues(Map.of(":id", s(newest.messageId()),
                            ":t", n(newest.createdAt().toEpochMilli()),
                            ":a", s(activity(newest.createdAt(), newest.conversationId())), ":n", n(count)))));
        }
    }

    private static Map<String, AttributeValue> item(Message m) {
        Map<String, AttributeValue> item = new HashMap<>(key(m.conversationId(), m.messageId()));
        item.put(SENDER_ID, s(m.senderId()));
        item.put(RECIPIENT_ID, s(m.recipientId()));
        item.put(CREATED_AT, n(m.createdAt().toEpochMilli()));
        item.put(CONTENT, AttributeValue.fromM(Map.of(CONTENT_TYPE, s(m.content().contentType()),
                VALUE, s(m.content().value()))));
        if (m.media() != null) {
            MediaRef media = m.media();
            Map<String, AttributeValue> map = new HashMap<>(Map.of(MEDIA_ID, s(media.mediaId()),
                    CONTENT_TYPE, s(media.contentType()), SIZE, n(media.size())));
            if (media.width() != null) {
                map.put(WIDTH, n(media.width()));
            }
            if (media.height() != null) {
                map.put(HEIGHT, n(media.height()));
            }
            if (media.durationMs() != null) {
                map.put(DURATION_MS, n(media.durationMs()));
            }
            item.put(MEDIA, AttributeValue.fromM(map));
        }
        item.put(CLIENT_MESSAGE_ID, s(m.clientMessageId()));
        if (m.readAt() != null) {
            item.put(READ_AT, n(m.readAt().toEpochMilli()));
        }
        return item;
    }

    private static Message message(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> content = item.get(CONTENT).m();
        MediaRef media = null;
        if (item.containsKey(MEDIA)) {
            Map<String, AttributeValue> m = item.get(MEDIA).m();
            media = new MediaRef(m.get(MEDIA_ID).s(), m.get(CONTENT_TYPE).s(), Long.parseLong(m.get(SIZE).n()),
                    m.containsKey(WIDTH) ? Integer.valueOf(m.get(WIDTH).n()) : null,
                    m.containsKey(HEIGHT) ? Integer.valueOf(m.get(HEIGHT).n()) : null,
                    m.containsKey(DURATION_MS) ? Long.valueOf(m.get(DURATION_MS).n()) : null);
        }
        return new Message(item.get(MESSAGE_ID).s(), item.get(CONVERSATION_ID).s(), item.get(SENDER_ID).s(),
                item.get(RECIPIENT_ID).s(), Instant.ofEpochMilli(Long.parseLong(item.get(CREATED_AT).n())),
                new Content(content.get(CONTENT_TYPE).s(), content.get(VALUE).s()), media,
                item.get(CLIENT_MESSAGE_ID).s(),
                item.containsKey(READ_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(READ_AT).n())) : null);
    }

    private static TransactWriteItem putIfAbsent(String table, Map<String, AttributeValue> item, String keyAttribute) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", keyAttribute))).build();
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

    /** Jittered exponential back-off after a lost race; gives up (503) after {@value #MAX_ATTEMPTS} tries. */
    private static void backOff(int attempt, RuntimeException cause) {
        if (attempt >= MAX_ATTEMPTS) {
            throw new ChatAppException(ErrorCode.UNAVAILABLE, "the conversation is too busy; try again");
        }
        long ceiling = Math.min(200, 2L << Math.min(attempt, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException failure = new IllegalStateException("interrupted while retrying", e);
            if (cause != null) {
                failure.addSuppressed(cause);
            }
            throw failure;
        }
    }

    private static Map<String, AttributeValue> key(String conversationId, String messageId) {
        return Map.of(CONVERSATION_ID, s(conversationId), MESSAGE_ID, s(messageId));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
