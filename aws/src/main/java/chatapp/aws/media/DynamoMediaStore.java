package chatapp.aws.media;

import chatapp.aws.DynamoSettings;
import chatapp.aws.Tables;
import chatapp.media.Media;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link MediaStore} on the DynamoDB table {@code media} ({@link Tables#MEDIA}), one item per
 * upload keyed by {@code mediaId}. The users a message with the media was sent to are the string
 * set {@code viewers} on that item: adding one is an idempotent {@code ADD}, checking one is a
 * read by key. A set holds about 15,000 viewers before the 400 KB item limit, far more than the
 * conversations one upload is sent to.
 *
 * <p>An upload no message uses carries {@code unattached} (a constant), which the first viewer
 * removes in the same update: the sparse index {@code by-unattached} (unattached, createdAt) holds
 * only those, so finding the old ones queries only them (docs/media.md, "Uploads never sent").
 */
public final class DynamoMediaStore implements MediaStore {

    static final String MEDIA_ID = "mediaId";
    static final String OWNER_ID = "ownerId";
    static final String CONTENT_TYPE = "contentType";
    static final String SIZE = "size";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    static final String DURATION_MS = "durationMs";
    static final String ORIGINAL_KEY = "originalKey";
    static final String THUMBNAIL_KEY = "thumbnailKey";
    static final String CREATED_AT = "createdAt";
    static final String VIEWERS = "viewers";
    /** Present (always {@link #UPLOAD}) until a message uses the upload; the sparse index's partition key. */
    static final String UNATTACHED = "unattached";
    static final String UPLOAD = "upload";
    /** The sparse index of unattached uploads by (unattached, createdAt) ({@link Tables#MEDIA}). */
    static final String BY_UNATTACHED = "by-unattached";
    /**
     * TTL (epoch seconds) when the deployment keeps messages for a limited time: the upload's
     * time plus the retention (docs/audit.md, "Retention of messages and media"); never on a
     * profile photo's record.
     */
    static final String EXPIRES_AT = "expiresAt";

    private static final String RECORD = String.join(", ", MEDIA_ID, OWNER_ID, CONTENT_TYPE, "#size", WIDTH, HEIGHT,
            DURATION_MS, ORIGINAL_KEY, THUMBNAIL_KEY, CREATED_AT, EXPIRES_AT);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    /** Keeping media for ever. */
    public DynamoMediaStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this(dynamo, settings, null, Clock.systemUTC());
    }

    /**
     * @param retention how long uploads are kept (the deployment's message retention), null for
     *     ever: each record gets a TTL, and a record past it is not found even before DynamoDB
     *     deletes it (TTL deletion comes days later)
     */
    public DynamoMediaStore(DynamoDbClient dynamo, DynamoSettings settings, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.MEDIA.name());
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void create(Media m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MEDIA_ID, s(m.mediaId()));
        item.put(OWNER_ID, s(m.ownerId()));
        item.put(CONTENT_TYPE, s(m.format().contentType()));
        item.put(SIZE, n(m.size()));
        item.put(ORIGINAL_KEY, s(m.originalKey()));
        item.put(CREATED_AT, n(m.createdAt().toEpochMilli()));
        item.put(UNATTACHED, s(UPLOAD));
        if (retention != null && !m.isAvatar()) { // a profile photo outlives messages (Media#isAvatar)
            item.put(EXPIRES_AT, n(m.createdAt().plus(retention).getEpochSecond()));
        }
        if (m.width() != null) {
            item.put(WIDTH, n(m.width()));
        }
        if (m.height() != null) {
            item.put(HEIGHT, n(m.height()));
        }
        if (m.durationMs() != null) {
            item.put(DURATION_MS, n(m.durationMs()));
        }
        if (m.thumbnailKey() != null) {
            item.put(THUMBNAIL_KEY, s(m.thumbnailKey()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + MEDIA_ID + ")"));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("media " + m.mediaId() + " exists", e);
        }
    }

    @Override
    public Optional<Media> find(String mediaId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(mediaId)).consistentRead(true)
                .projectionExpression(RECORD).expressionAttributeNames(Map.of("#size", SIZE))).item();
        if (item == null || item.isEmpty() || expired(item)) {
            return Optional.empty();
        }
        return Optional.of(media(item));
    }

    private boolean expired(Map<String, AttributeValue> item) {
        AttributeValue expiresAt = item.get(EXPIRES_AT);
        return expiresAt != null && Long.parseLong(expiresAt.n()) <= clock.instant().getEpochSecond();
    }

    private static Media media(Map<String, AttributeValue> item) {
        return (new Media(item.get(MEDIA_ID).s(), item.get(OWNER_ID).s(),
                MediaFormat.ofContentType(item.get(CONTENT_TYPE).s()).orElseThrow(),
                Long.parseLong(item.get(SIZE).n()),
                item.containsKey(WIDTH) ? Integer.valueOf(item.get(WIDTH).n()) : null,
                item.containsKey(HEIGHT) ? Integer.valueOf(item.get(HEIGHT).n()) : null,
                item.containsKey(DURATION_MS) ? Long.valueOf(item.get(DURATION_MS).n()) : null,
                item.get(ORIGINAL_KEY).s(),
                item.containsKey(THUMBNAIL_KEY) ? item.get(THUMBNAIL_KEY).s() : null,
                Instant.ofEpochMilli(Long.parseLong(item.get(CREATED_AT).n()))));
    }

    @Override
    public List<Media> unattachedBefore(Instant cutoff, int limit) {
        return dynamo.query(b -> b.tableName(table).indexName(BY_UNATTACHED)
                        .keyConditionExpression(UNATTACHED + " = :upload AND " + CREATED_AT + " < :cutoff")
                        .expressionAttributeValues(Map.of(":upload", s(UPLOAD), ":cutoff", n(cutoff.toEpochMilli())))
                        .scanIndexForward(true)
                        .limit(limit))
                .items().stream().map(DynamoMediaStore::media).toList();
    }

    @Override
    public boolean deleteUnattached(String mediaId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(mediaId))
                    .conditionExpression("attribute_exists(" + MEDIA_ID + ") AND attribute_not_exists(" + VIEWERS + ")"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // a message uses it by now, or it is gone
        }
    }

    @Override
    public boolean delete(String mediaId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(mediaId))
                    .conditionExpression("attribute_exists(" + MEDIA_ID + ")"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // gone already
        }
    }

    @Override
    public void addViewer(String mediaId, String viewerId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(mediaId))
                    .updateExpression("ADD " + VIEWERS + " :viewer REMOVE " + UNATTACHED)
                    .conditionExpression("attribute_exists(" + MEDIA_ID + ")")
                    .expressionAttributeValues(Map.of(":viewer", AttributeValue.fromSs(java.util.List.of(viewerId)))));
        } catch (ConditionalCheckFailedException e) {
            // unknown media: nothing to let anyone see
        }
    }

    /** One conditional update: the first viewer, only while the record has none. */
    @Override
    public boolean attachOnce(String mediaId, String viewerId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(mediaId))
                    .updateExpression("ADD " + VIEWERS + " :viewer REMOVE " + UNATTACHED)
                    .conditionExpression("attribute_exists(" + MEDIA_ID + ") AND attribute_not_exists(" + VIEWERS + ")")
                    .expressionAttributeValues(Map.of(":viewer", AttributeValue.fromSs(java.util.List.of(viewerId)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // attached already, or unknown
        }
    }

    /** One conditional update: only while {@code viewerId} is the one viewer. */
    @Override
    public boolean detach(String mediaId, String viewerId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(mediaId))
                    .updateExpression("REMOVE " + VIEWERS + " SET " + UNATTACHED + " = :upload")
                    .conditionExpression(VIEWERS + " = :only")
                    .expressionAttributeValues(Map.of(":only", AttributeValue.fromSs(java.util.List.of(viewerId)),
                            ":upload", s(UPLOAD))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // other viewers, not this one, or unknown
        }
    }

    @Override
    public boolean isViewer(String mediaId, String viewerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(mediaId)).consistentRead(true)
                .projectionExpression(VIEWERS)).item();
        return item != null && item.containsKey(VIEWERS) && item.get(VIEWERS).ss().contains(viewerId);
    }

    private static Map<String, AttributeValue> key(String mediaId) {
        return Map.of(MEDIA_ID, s(mediaId));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
