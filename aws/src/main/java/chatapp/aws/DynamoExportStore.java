package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.userdata.ExportJob;
import chatapp.userdata.ExportStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link ExportStore} on DynamoDB, items of the {@link Tables#AUTH} table (this class owns their
 * keys):
 * <ul>
 *   <li>{@code export#<userId>}, sk the export id: the job (a user's jobs are one key range);</li>
 *   <li>{@code export-expiry}, sk {@code <expiresAt ms, 15 digits>#<userId>#<exportId>}: the
 *       expiry index, so the purge reads a key range of what is due instead of scanning. Exports
 *       are few (3 per account per day), so one partition carries them.</li>
 * </ul>
 * A job and its expiry item are written in one transaction. Both carry {@link Tables#EXPIRES_AT}
 * a week after the job's expiry, so TTL removes what a purge missed, never before the purge
 * could delete the archive.
 */
public final class DynamoExportStore implements ExportStore {

    static final String EXPIRY_PK = "export-expiry";
    private static final Duration TTL_MARGIN = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoExportStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.AUTH.name());
    }

    private static Map<String, AttributeValue> jobKey(String userId, String exportId) {
        return Map.of(AuthItems.PK, s("export#" + userId), AuthItems.SK, s(exportId));
    }

    private static Map<String, AttributeValue> expiryKey(ExportJob j) {
        return Map.of(AuthItems.PK, s(EXPIRY_PK), AuthItems.SK,
                s(String.format("%015d#%s#%s", j.expiresAt().toEpochMilli(), j.userId(), j.exportId())));
    }

    private static Map<String, AttributeValue> item(ExportJob j) {
        Map<String, AttributeValue> item = new HashMap<>(jobKey(j.userId(), j.exportId()));
        item.put("exportId", s(j.exportId()));
        item.put("userId", s(j.userId()));
        item.put("state", s(j.state().wire()));
        item.put("createdAtMs", n(j.createdAt().toEpochMilli()));
        if (j.archiveKey() != null) {
            item.put("archiveKey", s(j.archiveKey()));
        }
        item.put("size", n(j.size()));
        item.put("expiresAtMs", n(j.expiresAt().toEpochMilli()));
        item.put(Tables.EXPIRES_AT, n(j.expiresAt().plus(TTL_MARGIN).getEpochSecond()));
        return item;
    }

    private static Map<String, AttributeValue> expiryItem(ExportJob j) {
        Map<String, AttributeValue> item = new HashMap<>(expiryKey(j));
        item.put("userId", s(j.userId()));
        item.put("exportId", s(j.exportId()));
        item.put(Tables.EXPIRES_AT, n(j.expiresAt().plus(TTL_MARGIN).getEpochSecond()));
        return item;
    }

    private static ExportJob job(Map<String, AttributeValue> item) {
        return new ExportJob(item.get("exportId").s(), item.get("userId").s(),
                ExportJob.State.fromWire(item.get("state").s()), Instant.ofEpochMilli(longOf(item.get("createdAtMs"))),
                item.containsKey("archiveKey") ? item.get("archiveKey").s() : null, longOf(item.get("size")),
                Instant.ofEpochMilli(longOf(item.get("expiresAtMs"))));
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    private TransactWriteItem delete(Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key)).build();
    }

    @Override
    public void create(ExportJob j) {
        dynamo.transactWriteItems(t -> t.transactItems(put(item(j)), put(expiryItem(j))));
    }

    @Override
    public Optional<ExportJob> find(String userId, String exportId) {
        var item = dynamo.getItem(g -> g.tableName(table).key(jobKey(userId, exportId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(job(item));
    }

    /** One transaction: the job, and its expiry item moved if the expiry changed. */
    @Override
    public void save(ExportJob j) {
        Optional<ExportJob> before = find(j.userId(), j.exportId());
        List<TransactWriteItem> writes = new ArrayList<>(List.of(put(item(j))));
        if (before.isPresent() && !before.get().expiresAt().equals(j.expiresAt())) {
            writes.add(delete(expiryKey(before.get())));
            writes.add(put(expiryItem(j)));
        } else if (before.isEmpty()) {
            writes.add(put(expiryItem(j)));
        }
        dynamo.transactWriteItems(t -> t.transactItems(writes));
    }

    @Override
    public List<ExportJob> byUser(String userId) {
        List<ExportJob> found = new ArrayList<>();
        Map<String, AttributeValue> next = null;
        do {
            Map<String, AttributeValue> start = next;
            QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", AuthItems.PK))
                    .expressionAttributeValues(Map.of(":pk", s("export#" + userId)))
                    .exclusiveStartKey(start));
            r.items().forEach(item -> found.add(job(item)));
            next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (next != null);
        found.sort(Comparator.comparing(ExportJob::createdAt).thenComparing(ExportJob::exportId).reversed());
        return found;
    }

    @Override
    public List<ExportJob> expiredBefore(Instant at, int limit) {
        QueryResponse r = dynamo.query(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk < :at")
                .expressionAttributeNames(Map.of("#pk", AuthItems.PK, "#sk", AuthItems.SK))
                .expressionAttributeValues(Map.of(":pk", s(EXPIRY_PK),
                        ":at", s(String.format("%015d", at.toEpochMilli()))))
                .limit(limit));
        List<ExportJob> due = new ArrayList<>();
        for (Map<String, AttributeValue> entry : r.items()) {
            Optional<ExportJob> j = find(entry.get("userId").s(), entry.get("exportId").s());
            if (j.isPresent()) {
                due.add(j.get());
            } else {
                dynamo.deleteItem(d -> d.tableName(table).key(Map.of(AuthItems.PK, entry.get(AuthItems.PK),
                        AuthItems.SK, entry.get(AuthItems.SK)))); // a stray index item
            }
        }
        return due;
    }

    @Override
    public void delete(ExportJob j) {
        Optional<ExportJob> stored = find(j.userId(), j.exportId());
        List<TransactWriteItem> writes = new ArrayList<>(List.of(delete(jobKey(j.userId(), j.exportId())),
                delete(expiryKey(j))));
        if (stored.isPresent() && !stored.get().expiresAt().equals(j.expiresAt())) {
            writes.add(delete(expiryKey(stored.get())));
        }
        dynamo.transactWriteItems(t -> t.transactItems(writes));
    }
}
