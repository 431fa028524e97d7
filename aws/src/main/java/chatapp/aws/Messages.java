package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The messages, table {@link Tables#CHATS} (docs/decisions/0011-chat-dynamodb-keys-and-order.md),
 * partition {@code conversationId}: the messages (sort key = message id, which starts with a
 * digit), the conversation item {@code #conversation} holding the last assigned sequence
 * number, and one idempotency guard {@code #client#<senderId>#<clientMessageId>} per message
 * naming it (per sender: both participants may pick the same clientMessageId).
 */
final class Messages {

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
    static final String CAPTION = "caption";
    static final String POSTER = "poster";
    static final String CLIENT_MESSAGE_ID = "clientMessageId";
    static final String READ_AT = "readAt";
    static final String DELIVERED_AT = "deliveredAt";
    static final String EDITED_AT = "editedAt";
    static final String DELETED_AT = "deletedAt";
    /** A reply's quoted message: a map of its {@link #MESSAGE_ID} and {@link #SENDER_ID}. */
    static final String REPLY_TO = "replyTo";
    static final String LAST_SEQ = "lastSeq";
    static final String TARGET = "target";
    /** Sort key of the conversation item; '#' sorts before every message id (they start with a digit). */
    static final String CONVERSATION_ITEM = "#conversation";
    static final String GUARD_PREFIX = "#client#";
    /** Lowest possible message id: key ranges from here on hold messages only. */
    static final String FIRST_MESSAGE = "0";

    private final DynamoDbClient dynamo;
    private final String table;
    /** How long messages are kept (docs/audit.md, "Retention"); null: for ever. */
    private final java.time.Duration retention;

    Messages(DynamoDbClient dynamo, DynamoSettings settings) {
        this(dynamo, settings, null);
    }

    /** @param retention how long messages are kept; null for ever */
    Messages(DynamoDbClient dynamo, DynamoSettings settings, java.time.Duration retention) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.CHATS.name());
        this.retention = retention;
    }

    /**
     * Whether a message item has outlived the retention: DynamoDB's TTL deletes it eventually
     * (typically within days, not at once), so reads leave it out meanwhile. Judged by
     * {@code createdAt}, so messages written before the retention was set expire too.
     */
    private boolean expired(Map<String, AttributeValue> item) {
        if (retention == null || !item.containsKey(CREATED_AT) || !ChatStore.isMessageId(item.get(MESSAGE_ID).s())) {
            return false;
        }
        return Instant.ofEpochMilli(longOf(item.get(CREATED_AT))).plus(retention).isBefore(Instant.now());
    }

    private static Map<String, AttributeValue> key(String conversationId, String sortKey) {
        return Map.of(CONVERSATION_ID, s(conversationId), MESSAGE_ID, s(sortKey));
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", MESSAGE_ID))).build();
    }

    // ---- the conversation item ----

    /** A transaction's put of a new conversation's item (sequence 0), on condition that it is new. */
    TransactWriteItem putConversation(String conversationId, Instant at) {
        return putIfAbsent(Map.of(CONVERSATION_ID, s(conversationId), MESSAGE_ID, s(CONVERSATION_ITEM),
                LAST_SEQ, n(0), CREATED_AT, n(at.toEpochMilli())));
    }

    /** The conversation's last assigned sequence number; empty if the conversation does not exist. */
    OptionalLong lastSequence(String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(conversationId, CONVERSATION_ITEM))).item();
        return item == null || item.isEmpty() ? OptionalLong.empty() : OptionalLong.of(longOf(item.get(LAST_SEQ)));
    }

    /** A transaction's move of the sequence from {@code last} to {@code last + 1}, on condition that it is still {@code last}. */
    TransactWriteItem advanceSequence(String conversationId, long last) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(conversationId, CONVERSATION_ITEM))
                .updateExpression("SET #s = :next")
                .conditionExpression("#s = :last")
                .expressionAttributeNames(Map.of("#s", LAST_SEQ))
                .expressionAttributeValues(Map.of(":next", n(last + 1), ":last", n(last)))).build();
    }

    // ---- idempotency guards ----

    /**
     * Sort key of the idempotency guard of one sender's clientMessageId. Neither part can hold
     * a '#' (user ids and clientMessageIds are URL-safe base64 characters), so keys cannot collide.
     */
    static String guardKey(String senderId, String clientMessageId) {
        return GUARD_PREFIX + senderId + "#" + clientMessageId;
    }

    /** A transaction's put of the guard naming {@code m}, on condition that its sender has not used its clientMessageId. */
    TransactWriteItem putGuard(Message m) {
        Map<String, AttributeValue> guard = new HashMap<>(
                key(m.conversationId(), guardKey(m.senderId(), m.clientMessageId())));
        guard.put(TARGET, s(m.messageId()));
        return putIfAbsent(guard);
    }

    /** The message a sender's clientMessageId already named in this conversation, if any. */
    Optional<Message> original(String conversationId, String senderId, String clientMessageId) {
        Map<String, AttributeValue> guard = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(conversationId, guardKey(senderId, clientMessageId)))).item();
        if (guard == null || guard.isEmpty()) {
            return Optional.empty();
        }
        return find(conversationId, guard.get(TARGET).s());
    }

    // ---- messages ----

    /** A transaction's put of a new message, on condition that its id is free. */
    TransactWriteItem putNew(Message m) {
        return putIfAbsent(item(m));
    }

    Optional<Message> find(String conversationId, String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(conversationId, messageId))).item();
        return item == null || item.isEmpty() || expired(item) ? Optional.empty()
                : Optional.of(withQuotes(List.of(message(item))).getFirst());
    }

    /**
     * {@code found} with each reply's quote made from the quoted message as it is now, read by
     * key in one batch (docs/decisions/0043-message-lifecycle.md); in the same order.
     */
    private List<Message> withQuotes(List<Message> found) {
        List<Map.Entry<String, String>> quoted = new ArrayList<>();
        for (Message m : found) {
            if (m.quote() != null) {
                quoted.add(Map.entry(m.conversationId(), m.quote().messageId()));
            }
        }
        if (quoted.isEmpty()) {
            return found;
        }
        Map<String, Content> now = new HashMap<>();
        for (Map<String, AttributeValue> item : getAll(quoted.stream().distinct().toList())) {
            Map<String, AttributeValue> content = item.get(CONTENT).m();
            now.put(item.get(CONVERSATION_ID).s() + "/" + item.get(MESSAGE_ID).s(),
                    new Content(content.get(CONTENT_TYPE).s(), content.get(VALUE).s()));
        }
        List<Message> resolved = new ArrayList<>(found.size());
        for (Message m : found) {
            resolved.add(m.quote() == null ? m : m.withQuote(chatapp.chat.Quote.of(m.quote().messageId(),
                    m.quote().senderId(), now.get(m.conversationId() + "/" + m.quote().messageId()))));
        }
        return resolved;
    }

    /** The messages with these (conversationId, messageId) pairs, in no order; missing ones left out. */
    List<Message> findAll(List<Map.Entry<String, String>> ids) {
        return withQuotes(getAll(ids).stream().map(Messages::message).toList());
    }

    /** The items of these (conversationId, messageId) pairs, in no order; missing and expired ones left out. */
    private List<Map<String, AttributeValue>> getAll(List<Map.Entry<String, String>> ids) {
        List<Map<String, AttributeValue>> keys = ids.stream().map(e -> key(e.getKey(), e.getValue())).toList();
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 100) { // BatchGetItem takes at most 100 keys
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> ask = request;
                var r = dynamo.batchGetItem(b -> b.requestItems(ask));
                r.responses().getOrDefault(table, List.of()).stream().filter(item -> !expired(item))
                        .forEach(found::add);
                request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    RetryPolicy.DEFAULT.pause(attempt, null);
                }
            }
        }
        return found;
    }

    /** Messages newest first, before {@code beforeMessageId} (exclusive) or from the newest; at most {@code limit}. */
    List<Message> before(String conversationId, String beforeMessageId, int limit) {
        // Messages only ('0' and up), newest first, starting after the cursor's message.
        Map<String, AttributeValue> start = beforeMessageId == null ? null : key(conversationId, beforeMessageId);
        return range(conversationId, "#m >= :from", FIRST_MESSAGE, false, start, limit);
    }

    /** Messages oldest first after {@code afterMessageId} (exclusive) or from the oldest; at most {@code limit}. */
    List<Message> after(String conversationId, String afterMessageId, int limit) {
        return range(conversationId, "#m > :from", afterMessageId == null ? "" : afterMessageId, true, null, limit);
    }

    /** One key-range read of a conversation's messages, paged past DynamoDB's 1 MB answers. */
    private List<Message> range(String conversationId, String range, String from, boolean forward,
            Map<String, AttributeValue> start, int limit) {
        List<Message> found = new ArrayList<>();
        Map<String, AttributeValue> next = start;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c AND " + range)
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID))
                    .expressionAttributeValues(Map.of(":c", s(conversationId), ":from", s(from)))
                    .scanIndexForward(forward)
                    .limit(limit - found.size())
                    .exclusiveStartKey(exclusiveStart));
            r.items().stream().filter(item -> !expired(item)).forEach(item -> found.add(message(item)));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (found.size() < limit && next != null);
        return withQuotes(found);
    }

    /** One search read: the messages (retention's expired left out), how many items it read, and whether more lie below. */
    record Read(List<Message> messages, int itemsRead, boolean more) {
    }

    /**
     * Search (docs/data-model.md, "Search"): one Query page of up to {@code limit} messages,
     * newest first, with a sequence number below {@code belowSequence} (null: from the newest).
     * Eventually consistent: half the read capacity of history's reads; a message stored a moment
     * ago may be found a moment later.
     */
    Read newestBelow(String conversationId, Long belowSequence, int limit) {
        String condition = belowSequence == null ? "#c = :c AND #m >= :lo" : "#c = :c AND #m BETWEEN :lo AND :hi";
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":c", s(conversationId), ":lo", s(FIRST_MESSAGE)));
        if (belowSequence != null) {
            // ids of sequence s are "<s zero-padded>-<suffix>", so this bound holds exactly the lower sequences
            String digits = Long.toString(belowSequence);
            values.put(":hi", s("0".repeat(Math.max(0, ChatStore.SEQUENCE_DIGITS - digits.length())) + digits));
        }
        QueryResponse r = dynamo.query(q -> q.tableName(table)
                .keyConditionExpression(condition)
                .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID))
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .limit(limit));
        List<Message> found = new ArrayList<>(r.items().size());
        r.items().stream().filter(item -> !expired(item)).forEach(item -> found.add(message(item)));
        return new Read(found, r.items().size(), r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty());
    }

    /**
     * Gives the ids of the messages to {@code readerId} without {@code readAt}, from {@code from}
     * (null: the first) up to {@code upTo} (both inclusive), in id order, page by page.
     */
    void forEachUnread(String conversationId, String readerId, String from, String upTo, Consumer<String> messageId) {
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c AND #m BETWEEN :lo AND :hi")
                    .filterExpression("#r = :r AND attribute_not_exists(#ra)")
                    .projectionExpression("#m")
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID, "#r", RECIPIENT_ID,
                            "#ra", READ_AT))
                    .expressionAttributeValues(Map.of(":c", s(conversationId),
                            ":lo", s(from == null ? FIRST_MESSAGE : from), ":hi", s(upTo), ":r", s(readerId)))
                    .exclusiveStartKey(exclusiveStart));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            r.items().forEach(item -> messageId.accept(item.get(MESSAGE_ID).s()));
        } while (next != null);
    }

    /** A transaction's mark of one message read at {@code readAt}, on condition that it is unread and to {@code readerId}. */
    TransactWriteItem markRead(String conversationId, String messageId, String readerId, Instant readAt) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(conversationId, messageId))
                .updateExpression("SET #ra = :t, #da = if_not_exists(#da, :t)")
                .conditionExpression("attribute_not_exists(#ra) AND #r = :r")
                .expressionAttributeNames(Map.of("#ra", READ_AT, "#r", RECIPIENT_ID, "#da", DELIVERED_AT))
                .expressionAttributeValues(Map.of(":t", n(readAt.toEpochMilli()), ":r", s(readerId)))).build();
    }

    /**
     * Gives the ids of the messages to {@code recipientId} with neither {@code deliveredAt} nor
     * {@code readAt}, after {@code from} (null: from the first) up to {@code upTo} (inclusive), in
     * id order, page by page.
     */
    void forEachUndelivered(String conversationId, String recipientId, String from, String upTo,
            Consumer<String> messageId) {
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c AND #m BETWEEN :lo AND :hi")
                    .filterExpression("#r = :r AND attribute_not_exists(#ra) AND attribute_not_exists(#da)")
                    .projectionExpression("#m")
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID, "#r", RECIPIENT_ID,
                            "#ra", READ_AT, "#da", DELIVERED_AT))
                    .expressionAttributeValues(Map.of(":c", s(conversationId),
                            ":lo", s(from == null ? FIRST_MESSAGE : from), ":hi", s(upTo), ":r", s(recipientId)))
                    .exclusiveStartKey(exclusiveStart));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            r.items().forEach(item -> messageId.accept(item.get(MESSAGE_ID).s()));
        } while (next != null);
    }

    /**
     * Marks one message delivered at {@code at}, on condition that it is to {@code recipientId}
     * and neither delivered nor read.
     *
     * @return whether this call marked it
     */
    boolean markDelivered(String conversationId, String messageId, String recipientId, Instant at) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(conversationId, messageId))
                    .updateExpression("SET #da = :t")
                    .conditionExpression("#r = :r AND attribute_not_exists(#da) AND attribute_not_exists(#ra)")
                    .expressionAttributeNames(Map.of("#da", DELIVERED_AT, "#r", RECIPIENT_ID, "#ra", READ_AT))
                    .expressionAttributeValues(Map.of(":t", n(at.toEpochMilli()), ":r", s(recipientId))));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false; // another device (or a read) came first
        }
    }

    /**
     * Replaces the text of {@code senderId}'s text message and sets {@code editedAt}, on condition
     * that it is the sender's and still text.
     *
     * @return the message as edited; empty if the condition failed
     */
    Optional<Message> edit(String conversationId, String messageId, String senderId, String text, Instant at) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(u -> u.tableName(table)
                    .key(key(conversationId, messageId))
                    .updateExpression("SET #content.#value = :v, #e = :t")
                    .conditionExpression("attribute_exists(#m) AND #s = :s AND #content.#type = :text")
                    .expressionAttributeNames(Map.of("#content", CONTENT, "#value", VALUE, "#type", CONTENT_TYPE,
                            "#e", EDITED_AT, "#m", MESSAGE_ID, "#s", SENDER_ID))
                    .expressionAttributeValues(Map.of(":v", s(text), ":t", n(at.toEpochMilli()), ":s", s(senderId),
                            ":text", s(Content.TEXT)))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW)).attributes();
            return Optional.of(withQuotes(List.of(message(item))).getFirst());
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Turns {@code senderId}'s message into a tombstone deleted at {@code at} (no text, media or
     * quote), on condition that it is the sender's and not a tombstone yet.
     *
     * @return the message as it was before; empty if the condition failed
     */
    Optional<Message> deleteForEveryone(String conversationId, String messageId, String senderId, Instant at) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(u -> u.tableName(table)
                    .key(key(conversationId, messageId))
                    .updateExpression("SET #content = :tombstone, #d = :t REMOVE #media, #reply")
                    .conditionExpression("attribute_exists(#m) AND #s = :s AND #content.#type <> :deleted")
                    .expressionAttributeNames(Map.of("#content", CONTENT, "#type", CONTENT_TYPE, "#d", DELETED_AT,
                            "#media", MEDIA, "#reply", REPLY_TO, "#m", MESSAGE_ID, "#s", SENDER_ID))
                    .expressionAttributeValues(Map.of(":tombstone", AttributeValue.fromM(Map.of(
                                    CONTENT_TYPE, s(Content.DELETED), VALUE, s(""))),
                            ":t", n(at.toEpochMilli()), ":s", s(senderId), ":deleted", s(Content.DELETED)))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
            return Optional.of(message(item));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * The messages {@code senderId} sent in the conversation that are not tombstones yet, read by
     * the conversation's key range (filtered by sender), page by page: (messageId, media or null).
     */
    List<Message> sentBy(String conversationId, String senderId) {
        List<Message> found = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#c = :c AND #m >= :from")
                    .filterExpression("#s = :s AND #content.#type <> :deleted")
                    .expressionAttributeNames(Map.of("#c", CONVERSATION_ID, "#m", MESSAGE_ID, "#s", SENDER_ID,
                            "#content", CONTENT, "#type", CONTENT_TYPE))
                    .expressionAttributeValues(Map.of(":c", s(conversationId), ":from", s(FIRST_MESSAGE),
                            ":s", s(senderId), ":deleted", s(Content.DELETED)))
                    .exclusiveStartKey(exclusiveStart));
            r.items().forEach(item -> found.add(message(item)));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (next != null);
        return found;
    }

    /** Turns one message into a tombstone: no text, no media, no quote; id, times and readAt kept. */
    void erase(String conversationId, String messageId) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(conversationId, messageId))
                    .updateExpression("SET #content = :tombstone REMOVE #media, #reply")
                    .conditionExpression("attribute_exists(#m)")
                    .expressionAttributeNames(Map.of("#content", CONTENT, "#media", MEDIA, "#m", MESSAGE_ID,
                            "#reply", REPLY_TO))
                    .expressionAttributeValues(Map.of(":tombstone", AttributeValue.fromM(Map.of(
                            CONTENT_TYPE, s(Content.DELETED), VALUE, s(""))))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            // gone (retention): nothing left to erase
        }
    }

    /** Up to {@code limit} of the conversation's oldest messages, oldest first (one key range). */
    List<Message> oldest(String conversationId, int limit) {
        return after(conversationId, FIRST_MESSAGE, limit);
    }

    /**
     * A transaction's delete of a message, on condition that it still is as read: unread
     * ({@code readAt} absent) or read, so that the unread counts lowered with it stay exact.
     */
    TransactWriteItem deleteAsRead(Message m) {
        String condition = m.readAt() == null ? "attribute_exists(#m) AND attribute_not_exists(#ra)"
                : "attribute_exists(#m) AND attribute_exists(#ra)";
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(m.conversationId(), m.messageId()))
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#m", MESSAGE_ID, "#ra", READ_AT))).build();
    }

    /** A transaction's delete of a message's idempotency guard. */
    TransactWriteItem deleteGuard(Message m) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key(m.conversationId(), guardKey(m.senderId(), m.clientMessageId())))).build();
    }

    /** Writes existing messages with BatchWriteItem, without guards (see {@link DynamoChatStore#importMessages}). */
    void importAll(List<Message> messages) {
        List<WriteRequest> writes = messages.stream()
                .map(m -> WriteRequest.builder().putRequest(PutRequest.builder().item(item(m)).build()).build())
                .toList();
        for (int i = 0; i < writes.size(); i += 25) { // DynamoDB: 25 items per BatchWriteItem
            Map<String, List<WriteRequest>> request = Map.of(table, writes.subList(i, Math.min(writes.size(), i + 25)));
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> ask = request;
                var r = dynamo.batchWriteItem(b -> b.requestItems(ask));
                request = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
                if (!request.isEmpty()) {
                    RetryPolicy.DEFAULT.pause(attempt, null);
                }
            }
        }
    }

    /** Sets the conversation's sequence to that of {@code newest} (imports only). */
    void setSequence(Message newest) {
        dynamo.updateItem(u -> u.tableName(table).key(key(newest.conversationId(), CONVERSATION_ITEM))
                .updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", LAST_SEQ))
                .expressionAttributeValues(Map.of(":s", n(ChatStore.sequenceOf(newest.messageId())))));
    }

    private Map<String, AttributeValue> item(Message m) {
        Map<String, AttributeValue> item = new HashMap<>(key(m.conversationId(), m.messageId()));
        if (retention != null) {
            // DynamoDB's TTL deletes the message some time after this (epoch seconds)
            item.put(Tables.EXPIRES_AT, n(m.createdAt().plus(retention).getEpochSecond()));
        }
        item.put(SENDER_ID, s(m.senderId()));
        item.put(RECIPIENT_ID, s(m.recipientId()));
        item.put(CREATED_AT, n(m.createdAt().toEpochMilli()));
        Map<String, AttributeValue> content = new HashMap<>(Map.of(CONTENT_TYPE, s(m.content().contentType()),
                VALUE, s(m.content().value())));
        if (m.content().caption() != null) {
            content.put(CAPTION, s(m.content().caption()));
        }
        item.put(CONTENT, AttributeValue.fromM(content));
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
            if (media.poster() != null) {
                map.put(POSTER, AttributeValue.fromBool(media.poster()));
            }
            item.put(MEDIA, AttributeValue.fromM(map));
        }
        item.put(CLIENT_MESSAGE_ID, s(m.clientMessageId()));
        if (m.readAt() != null) {
            item.put(READ_AT, n(m.readAt().toEpochMilli()));
        }
        putTime(item, DELIVERED_AT, m.deliveredAt());
        putTime(item, EDITED_AT, m.editedAt());
        putTime(item, DELETED_AT, m.deletedAt());
        if (m.quote() != null) {
            item.put(REPLY_TO, AttributeValue.fromM(Map.of(MESSAGE_ID, s(m.quote().messageId()),
                    SENDER_ID, s(m.quote().senderId()))));
        }
        return item;
    }

    private static void putTime(Map<String, AttributeValue> item, String name, Instant at) {
        if (at != null) {
            item.put(name, n(at.toEpochMilli()));
        }
    }

    private static Message message(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> content = item.get(CONTENT).m();
        MediaRef media = null;
        if (item.containsKey(MEDIA)) {
            Map<String, AttributeValue> m = item.get(MEDIA).m();
            media = new MediaRef(m.get(MEDIA_ID).s(), m.get(CONTENT_TYPE).s(), longOf(m.get(SIZE)),
                    m.containsKey(WIDTH) ? Integer.valueOf(m.get(WIDTH).n()) : null,
                    m.containsKey(HEIGHT) ? Integer.valueOf(m.get(HEIGHT).n()) : null,
                    m.containsKey(DURATION_MS) ? Long.valueOf(m.get(DURATION_MS).n()) : null,
                    m.containsKey(POSTER) ? m.get(POSTER).bool() : null);
        }
        return new Message(item.get(MESSAGE_ID).s(), item.get(CONVERSATION_ID).s(), item.get(SENDER_ID).s(),
                item.get(RECIPIENT_ID).s(), Instant.ofEpochMilli(longOf(item.get(CREATED_AT))),
                new Content(content.get(CONTENT_TYPE).s(), content.get(VALUE).s(),
                        content.containsKey(CAPTION) ? content.get(CAPTION).s() : null), media,
                item.get(CLIENT_MESSAGE_ID).s(), time(item, READ_AT), time(item, DELIVERED_AT), time(item, EDITED_AT),
                time(item, DELETED_AT), quote(item));
    }

    private static Instant time(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(longOf(item.get(name))) : null;
    }

    /** A reply's quote as stored (id and sender; {@link #withQuotes} makes the rest when it is read). */
    private static chatapp.chat.Quote quote(Map<String, AttributeValue> item) {
        if (!item.containsKey(REPLY_TO)) {
            return null;
        }
        Map<String, AttributeValue> r = item.get(REPLY_TO).m();
        return new chatapp.chat.Quote(r.get(MESSAGE_ID).s(), r.get(SENDER_ID).s(), null, null);
    }
}
