package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.audit.AuditAction;
import chatapp.audit.AuditEntry;
import chatapp.audit.AuditStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link AuditStore} on DynamoDB, table {@link Tables#AUDIT}; this class owns its item layout:
 * key ({@code chain}, {@code seq}); {@code day} and {@code position} for the {@code by-day}
 * index, {@code target} (absent when none) for {@code by-target}; the entry's fields
 * ({@code atMs}, {@code actor}, {@code action}, {@code detail} as a map, {@code session},
 * {@code address}, {@code outcome}, {@code previousHash}, {@code previousExpiresAtMs},
 * {@code expiresAtMs}, {@code hash}) and {@link Tables#EXPIRES_AT} in epoch seconds for TTL.
 * An append is one {@code PutItem} on condition that the key is new, so each seq is taken once.
 * Reads of a chain are consistent; the indexes are eventually consistent (export and
 * verification may miss the last second's entries).
 */
public final class DynamoAuditStore implements AuditStore {

    private static final String CHAIN = "chain";
    private static final String SEQ = "seq";
    private static final String DAY = "day";
    private static final String POSITION = "position";
    private static final String TARGET = "target";
    private static final String AT_MS = "atMs";
    private static final String ACTOR = "actor";
    private static final String ACTION = "action";
    private static final String DETAIL = "detail";
    private static final String SESSION = "session";
    private static final String ADDRESS = "address";
    private static final String OUTCOME = "outcome";
    private static final String PREVIOUS_HASH = "previousHash";
    private static final String PREVIOUS_EXPIRES_AT_MS = "previousExpiresAtMs";
    private static final String EXPIRES_AT_MS = "expiresAtMs";
    private static final String HASH = "hash";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAuditStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.AUDIT.name());
    }

    @Override
    public Optional<AuditEntry> head(String chain) {
        return RetryPolicy.DEFAULT.call(() -> dynamo.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#c = :c").expressionAttributeNames(Map.of("#c", CHAIN))
                        .expressionAttributeValues(Map.of(":c", s(chain))).scanIndexForward(false).limit(1)))
                .items().stream().findFirst().map(DynamoAuditStore::entry);
    }

    @Override
    public boolean append(AuditEntry e) {
        try {
            RetryPolicy.DEFAULT.run(() -> dynamo.putItem(b -> b.tableName(table).item(item(e))
                    .conditionExpression("attribute_not_exists(#c)").expressionAttributeNames(Map.of("#c", CHAIN))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public List<AuditEntry> chain(String chain, long afterSeq, int limit) {
        return query(b -> b.consistentRead(true).keyConditionExpression("#c = :c AND #s > :s")
                .expressionAttributeNames(Map.of("#c", CHAIN, "#s", SEQ))
                .expressionAttributeValues(Map.of(":c", s(chain), ":s", n(afterSeq))), limit);
    }

    @Override
    public List<AuditEntry> chainNewestFirst(String chain, long beforeSeq, int limit) {
        return query(b -> b.consistentRead(true).scanIndexForward(false).keyConditionExpression("#c = :c AND #s < :s")
                .expressionAttributeNames(Map.of("#c", CHAIN, "#s", SEQ))
                .expressionAttributeValues(Map.of(":c", s(chain), ":s", n(beforeSeq))), limit);
    }

    @Override
    public List<AuditEntry> byTarget(String target, String beforePosition, int limit) {
        return query(b -> b.indexName("by-target").scanIndexForward(false).keyConditionExpression("#t = :t AND #p < :p")
                .expressionAttributeNames(Map.of("#t", TARGET, "#p", POSITION))
                .expressionAttributeValues(Map.of(":t", s(target), ":p", s(beforePosition == null ? "~" : beforePosition))),
                limit);
    }

    @Override
    public List<AuditEntry> day(LocalDate day, String afterPosition, int limit) {
        if (afterPosition == null) {
            return query(b -> b.indexName("by-day").keyConditionExpression("#d = :d")
                    .expressionAttributeNames(Map.of("#d", DAY))
                    .expressionAttributeValues(Map.of(":d", s(day.toString()))), limit);
        }
        return query(b -> b.indexName("by-day").keyConditionExpression("#d = :d AND #p > :p")
                .expressionAttributeNames(Map.of("#d", DAY, "#p", POSITION))
                .expressionAttributeValues(Map.of(":d", s(day.toString()), ":p", s(afterPosition))), limit);
    }

    /** TTL removes expired entries by itself (within a few days of their expiry). */
    @Override
    public int purgeExpired(Instant now, int limit) {
        return 0;
    }

    /** Up to {@code limit} items of a query, following DynamoDB's pages (a page stops at 1 MB). */
    private List<AuditEntry> query(java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.QueryRequest.Builder> shape,
            int limit) {
        List<AuditEntry> entries = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = RetryPolicy.DEFAULT.call(() -> dynamo.query(b -> {
                b.tableName(table).limit(limit - entries.size());
                shape.accept(b);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            }));
            page.items().forEach(i -> entries.add(entry(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && entries.size() < limit);
        return entries;
    }

    private static Map<String, AttributeValue> item(AuditEntry e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CHAIN, s(e.chain()));
        item.put(SEQ, n(e.seq()));
        item.put(DAY, s(e.day().toString()));
        item.put(POSITION, s(e.position()));
        item.put(AT_MS, n(e.at().toEpochMilli()));
        item.put(ACTION, s(e.action().name()));
        Map<String, AttributeValue> detail = new HashMap<>();
        e.detail().forEach((k, v) -> detail.put(k, s(v)));
        item.put(DETAIL, AttributeValue.fromM(detail));
        item.put(OUTCOME, s(e.outcome()));
        item.put(PREVIOUS_HASH, s(e.previousHash()));
        item.put(EXPIRES_AT_MS, n(e.expiresAt().toEpochMilli()));
        // TTL: epoch seconds, rounded up so that an entry never goes before its exact expiry
        item.put(Tables.EXPIRES_AT, n(Math.ceilDiv(e.expiresAt().toEpochMilli(), 1000L)));
        item.put(HASH, s(e.hash()));
        putIfPresent(item, ACTOR, e.actor());
        putIfPresent(item, TARGET, e.target());
        putIfPresent(item, SESSION, e.session());
        putIfPresent(item, ADDRESS, e.address());
        if (e.previousExpiresAt() != null) {
            item.put(PREVIOUS_EXPIRES_AT_MS, n(e.previousExpiresAt().toEpochMilli()));
        }
        return item;
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static AuditEntry entry(Map<String, AttributeValue> i) {
        Map<String, String> detail = new HashMap<>();
        if (i.containsKey(DETAIL)) {
            i.get(DETAIL).m().forEach((k, v) -> detail.put(k, v.s()));
        }
        return new AuditEntry(i.get(CHAIN).s(), longOf(i.get(SEQ)), Instant.ofEpochMilli(longOf(i.get(AT_MS))),
                text(i, ACTOR), AuditAction.valueOf(i.get(ACTION).s()), text(i, TARGET), detail, text(i, SESSION),
                text(i, ADDRESS), i.get(OUTCOME).s(), i.get(PREVIOUS_HASH).s(),
                i.containsKey(PREVIOUS_EXPIRES_AT_MS) ? Instant.ofEpochMilli(longOf(i.get(PREVIOUS_EXPIRES_AT_MS))) : null,
                Instant.ofEpochMilli(longOf(i.get(EXPIRES_AT_MS))), i.get(HASH).s());
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
