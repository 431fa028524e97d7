package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConversationState;
import chatapp.chat.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Each user's inbox, table {@link Tables#CONVERSATIONS}: one row per (userId, conversationId)
 * with the peer, the last message's id, the unread count and the read watermark, listed newest
 * activity first through the GSI {@code by-activity}; and the conversation's consent, the same on
 * both rows: {@code state}, {@code requestedBy}, {@code blockedBy}. A row without {@code state}
 * (written before consent existed) is accepted (docs/data-model.md).
 */
final class Inboxes {

    static final String USER_ID = "userId";
    static final String CONVERSATION_ID = "conversationId";
    static final String PEER_ID = "peerId";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    static final String UNREAD_COUNT = "unreadCount";
    static final String UPDATED_AT = "updatedAt";
    static final String ACTIVITY = "activity";
    /** Read watermark: every message to this user up to this id is read. */
    static final String READ_UP_TO = "readUpTo";
    /** Delivery watermark: every message to this user up to this id is delivered. */
    static final String DELIVERED_UP_TO = "deliveredUpTo";
    static final String STATE = "state";
    static final String REQUESTED_BY = "requestedBy";
    static final String BLOCKED_BY = "blockedBy";
    static final String BY_ACTIVITY = Tables.CONVERSATIONS.indexes().getFirst().name();

    /** One inbox row as stored; {@code lastMessageId} and {@code readUpTo} may be null. */
    record Row(String userId, String conversationId, String peerId, String lastMessageId, long unreadCount,
            Instant updatedAt, String readUpTo, Consent consent, String deliveredUpTo) {
    }

    /** A page of rows, newest activity first, and the position after it (null at the end). */
    record RowPage(List<Row> rows, String next) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    Inboxes(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.CONVERSATIONS.name());
    }

    private static Map<String, AttributeValue> key(String userId, String conversationId) {
        return Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId));
    }

    /** The by-activity sort key: zero-padded epoch millis, then the id to make it unique. */
    static String activity(Instant at, String conversationId) {
        return String.format("%015d#%s", at.toEpochMilli(), conversationId);
    }

    /** A transaction's put of a new conversation's row for {@code userId}, on condition that it is new. */
    TransactWriteItem putNew(String userId, String conversationId, String peerId, Instant at, Consent consent) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId),
                PEER_ID, s(peerId), UNREAD_COUNT, n(0), UPDATED_AT, n(at.toEpochMilli()),
                ACTIVITY, s(activity(at, conversationId)), STATE, s(consent.state().wire())));
        if (consent.requestedBy() != null) {
            item.put(REQUESTED_BY, s(consent.requestedBy()));
        }
        if (consent.blockedBy() != null) {
            item.put(BLOCKED_BY, s(consent.blockedBy()));
        }
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", USER_ID))).build();
    }

    Optional<Row> find(String userId, String conversationId) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(userId, conversationId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(row(item));
    }

    /**
     * A transaction's change of {@code userId}'s row to {@code next}; with {@code expected}, on
     * condition that the row's consent is exactly that (a missing state counts as accepted),
     * else on condition that the row exists.
     */
    TransactWriteItem changeConsent(String userId, String conversationId, Consent expected, Consent next) {
        Map<String, String> names = new HashMap<>(Map.of("#u", USER_ID, "#s", STATE, "#r", REQUESTED_BY,
                "#b", BLOCKED_BY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":ns", s(next.state().wire())));
        List<String> set = new ArrayList<>(List.of("#s = :ns"));
        List<String> remove = new ArrayList<>();
        if (next.requestedBy() != null) {
            set.add("#r = :nr");
            values.put(":nr", s(next.requestedBy()));
        } else {
            remove.add("#r");
        }
        if (next.blockedBy() != null) {
            set.add("#b = :nb");
            values.put(":nb", s(next.blockedBy()));
        } else {
            remove.add("#b");
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        StringBuilder condition = new StringBuilder("attribute_exists(#u)");
        if (expected != null) {
            values.put(":es", s(expected.state().wire()));
            condition.append(expected.state() == ConversationState.ACCEPTED
                    ? " AND (attribute_not_exists(#s) OR #s = :es)" : " AND #s = :es");
            if (expected.requestedBy() == null) {
                condition.append(" AND attribute_not_exists(#r)");
            } else {
                condition.append(" AND #r = :er");
                values.put(":er", s(expected.requestedBy()));
            }
            if (expected.blockedBy() == null) {
                condition.append(" AND attribute_not_exists(#b)");
            } else {
                condition.append(" AND #b = :eb");
                values.put(":eb", s(expected.blockedBy()));
            }
        }
        String expression = condition.toString();
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(userId, conversationId))
                .updateExpression(update)
                .conditionExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    /** {@code userId}'s rows of {@code folder}, newest activity first, after {@code position} (a row's activity) if given. */
    RowPage byActivity(String userId, ChatStore.Folder folder, int limit, String position) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        if (position != null) {
            String conversationId = position.substring(position.indexOf('#') + 1);
            start = Map.of(USER_ID, s(userId), CONVERSATION_ID, s(conversationId), ACTIVITY, s(position));
        }
        do {
            Map<String, AttributeValue> from = start;
            // Consent#awaits: a pending or declined request by the peer lies in REQUESTS.
            String awaits = "(#s IN (:rq, :dc) AND #r <> :u)";
            QueryResponse r = dynamo.query(q -> q.tableName(table).indexName(BY_ACTIVITY)
                    .keyConditionExpression("#u = :u")
                    .filterExpression(folder == ChatStore.Folder.REQUESTS ? awaits : "NOT " + awaits)
                    .expressionAttributeNames(Map.of("#u", USER_ID, "#s", STATE, "#r", REQUESTED_BY))
                    .expressionAttributeValues(Map.of(":u", s(userId),
                            ":rq", s(ConversationState.REQUESTED.wire()), ":dc", s(ConversationState.DECLINED.wire())))
                    .scanIndexForward(false)
                    .limit(limit + 1 - items.size())
                    .exclusiveStartKey(from));
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (items.size() <= limit && start != null);
        boolean more = items.size() > limit;
        List<Row> rows = (more ? items.subList(0, limit) : items).stream().map(Inboxes::row).toList();
        return new RowPage(rows, more ? items.get(limit - 1).get(ACTIVITY).s() : null);
    }

    /** Where a conversation's messages end, from a user's inbox row: its newest message and when it came. */
    record Head(String conversationId, String lastMessageId, Instant updatedAt) {
    }

    /** Every conversation of {@code userId} with its newest message id and time, read by key (search). */
    List<Head> heads(String userId) {
        List<Head> heads = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table)
                    .keyConditionExpression("#u = :u")
                    .projectionExpression("#c, #l, #t")
                    .expressionAttributeNames(Map.of("#u", USER_ID, "#c", CONVERSATION_ID, "#l", LAST_MESSAGE_ID,
                            "#t", UPDATED_AT))
                    .expressionAttributeValues(Map.of(":u", s(userId)))
                    .exclusiveStartKey(exclusiveStart));
            r.items().forEach(item -> heads.add(head(item)));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (next != null);
        return heads;
    }

    /** {@code userId}'s head of one conversation; empty if not a participant. */
    Optional<Head> head(String userId, String conversationId) {
        return find(userId, conversationId).map(row -> new Head(row.conversationId(), row.lastMessageId(),
                row.updatedAt()));
    }

    private static Head head(Map<String, AttributeValue> item) {
        return new Head(item.get(CONVERSATION_ID).s(),
                item.containsKey(LAST_MESSAGE_ID) ? item.get(LAST_MESSAGE_ID).s() : null,
                Instant.ofEpochMilli(longOf(item.get(UPDATED_AT))));
    }

    /** The peers of every conversation of {@code userId}, with its consent. */
    List<ChatStore.Contact> contacts(String userId) {
        List<ChatStore.Contact> peers = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> exclusiveStart = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table)
                    .keyConditionExpression("#u = :u")
                    .projectionExpression("#p, #s, #r, #b")
                    .expressionAttributeNames(Map.of("#u", USER_ID, "#p", PEER_ID, "#s", STATE, "#r", REQUESTED_BY,
                            "#b", BLOCKED_BY))
                    .expressionAttributeValues(Map.of(":u", s(userId)))
                    .exclusiveStartKey(exclusiveStart));
            r.items().forEach(item -> peers.add(new ChatStore.Contact(item.get(PEER_ID).s(), consent(item))));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (next != null);
        return peers;
    }

    /**
     * A transaction's update of {@code userId}'s row to {@code m} as the last message (and one
     * more unread if {@code unread}), on condition that the row exists and is not blocked.
     */
    TransactWriteItem touch(String userId, Message m, boolean unread) {
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
        names.put("#s", STATE);
        values.put(":blocked", s(ConversationState.BLOCKED.wire()));
        return TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(key(userId, m.conversationId()))
                .updateExpression(expression)
                // ChatStore#send: nothing lands in a conversation blocked since the service's check
                .conditionExpression("attribute_exists(#u) AND (attribute_not_exists(#s) OR #s <> :blocked)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    /**
     * A transaction's move of the read watermark of {@code readerId}'s row to {@code watermark},
     * lowering the unread count by {@code read}; on condition that the watermark is behind it.
     */
    TransactWriteItem advanceWatermark(String readerId, String conversationId, String watermark, int read) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":w", s(watermark)));
        String update = "SET #w = :w";
        if (read > 0) {
            update += " ADD #n :minus";
            values.put(":minus", n(-read));
        }
        String expression = update;
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(readerId, conversationId))
                .updateExpression(expression)
                .conditionExpression("attribute_not_exists(#w) OR #w < :w")
                .expressionAttributeNames(read == 0 ? Map.of("#w", READ_UP_TO)
                        : Map.of("#w", READ_UP_TO, "#n", UNREAD_COUNT))
                .expressionAttributeValues(values)).build();
    }

    /** Moves the delivery watermark of {@code userId}'s row forward to {@code watermark} (never back). */
    void advanceDelivered(String userId, String conversationId, String watermark) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(userId, conversationId))
                    .updateExpression("SET #w = :w")
                    .conditionExpression("attribute_exists(#u) AND (attribute_not_exists(#w) OR #w < :w)")
                    .expressionAttributeNames(Map.of("#w", DELIVERED_UP_TO, "#u", USER_ID))
                    .expressionAttributeValues(Map.of(":w", s(watermark))));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            // already further: another device acknowledged more
        }
    }

    /** A transaction's delete of {@code userId}'s row, on condition that it names {@code requesterId} as the requester. */
    TransactWriteItem deleteRequest(String userId, String conversationId, String requesterId) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(userId, conversationId))
                .conditionExpression("#r = :r")
                .expressionAttributeNames(Map.of("#r", REQUESTED_BY))
                .expressionAttributeValues(Map.of(":r", s(requesterId)))).build();
    }

    /** A transaction's lowering of {@code userId}'s unread count by {@code n} (retention deleted unread messages). */
    TransactWriteItem lowerUnread(String userId, String conversationId, int n) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(userId, conversationId))
                .updateExpression("ADD #n :minus")
                .conditionExpression("attribute_exists(#n)")
                .expressionAttributeNames(Map.of("#n", UNREAD_COUNT))
                .expressionAttributeValues(Map.of(":minus", n(-n)))).build();
    }

    /** Sets {@code userId}'s row to {@code newest} and adds {@code unread} to its count (imports only). */
    void addImported(String userId, Message newest, long unread) {
        dynamo.updateItem(u -> u.tableName(table)
                .key(key(userId, newest.conversationId()))
                .updateExpression("SET #l = :id, #t = :t, #a = :a ADD #n :n")
                .expressionAttributeNames(Map.of("#l", LAST_MESSAGE_ID, "#t", UPDATED_AT, "#a", ACTIVITY,
                        "#n", UNREAD_COUNT))
                .expressionAttributeValues(Map.of(":id", s(newest.messageId()),
                        ":t", n(newest.createdAt().toEpochMilli()),
                        ":a", s(activity(newest.createdAt(), newest.conversationId())), ":n", n(unread))));
    }

    private static Row row(Map<String, AttributeValue> item) {
        return new Row(item.get(USER_ID).s(), item.get(CONVERSATION_ID).s(), item.get(PEER_ID).s(),
                item.containsKey(LAST_MESSAGE_ID) ? item.get(LAST_MESSAGE_ID).s() : null,
                longOf(item.get(UNREAD_COUNT)), Instant.ofEpochMilli(longOf(item.get(UPDATED_AT))),
                item.containsKey(READ_UP_TO) ? item.get(READ_UP_TO).s() : null, consent(item),
                item.containsKey(DELIVERED_UP_TO) ? item.get(DELIVERED_UP_TO).s() : null);
    }

    /** The row's consent; a row without {@code state} is from before consent existed: accepted. */
    static Consent consent(Map<String, AttributeValue> item) {
        if (!item.containsKey(STATE)) {
            return Consent.ACCEPTED;
        }
        return new Consent(ConversationState.fromWire(item.get(STATE).s()),
                item.containsKey(REQUESTED_BY) ? item.get(REQUESTED_BY).s() : null,
                item.containsKey(BLOCKED_BY) ? item.get(BLOCKED_BY).s() : null);
    }
}
