package chatapp.aws;

import static chatapp.aws.TableDefinition.Key.number;
import static chatapp.aws.TableDefinition.Key.string;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Every DynamoDB table of ChatApp, defined once (docs/architecture.md, "Data"): the seed's table
 * names are kept. {@link #create} makes the missing ones (idempotent), {@link #check} tells
 * whether they are all there and active (readiness).
 */
public final class Tables {

    private static final Logger log = LoggerFactory.getLogger(Tables.class);

    /** TTL attribute shared by every expiring item: epoch seconds (DynamoDB's TTL format). */
    public static final String EXPIRES_AT = "expiresAt";

    /** Accounts by id; directory by (userType, lower-cased username). */
    public static final TableDefinition USERS = new TableDefinition("users",
            string("userId"), null,
            List.of(new TableDefinition.Index("by-user-type", string("userType"), string("usernameKey"))),
            null);

    /**
     * Security items keyed by (pk, sk): uniqueness guards for email and username, refresh-token
     * chains (hashed), single-use WebSocket tickets (hashed). Expiring items carry
     * {@link #EXPIRES_AT}.
     */
    public static final TableDefinition AUTH = new TableDefinition("auth",
            string("pk"), string("sk"), List.of(), EXPIRES_AT);

    /**
     * The seed's Chats: messages by (conversationId, messageId), messageId in commit order. With a
     * retention set, messages carry {@link #EXPIRES_AT} (docs/audit.md, "Retention").
     */
    public static final TableDefinition CHATS = new TableDefinition("chats",
            string("conversationId"), string("messageId"), List.of(), EXPIRES_AT);

    /** Each user's inbox rows by (userId, conversationId); listed by activity. */
    public static final TableDefinition CONVERSATIONS = new TableDefinition("conversations",
            string("userId"), string("conversationId"),
            List.of(new TableDefinition.Index("by-activity", string("userId"), string("activity"))),
            null);

    /** Where each live WebSocket connection is held, several per user; expire by themselves. */
    public static final TableDefinition CONNECTIONS = new TableDefinition("WebSocketConnections",
            string("userId"), string("connectionId"),
            List.of(new TableDefinition.Index("by-connection", string("connectionId"), null)),
            EXPIRES_AT);

    /**
     * Uploaded photos and videos by id; the ones no message uses yet by age (sparse index
     * {@code by-unattached}: only items with {@code unattached}).
     */
    public static final TableDefinition MEDIA = new TableDefinition("media",
            string("mediaId"), null,
            List.of(new TableDefinition.Index("by-unattached", string("unattached"), number("createdAt"))),
            "expiresAt");

    /**
     * The audit log (docs/audit.md): entries by (chain, seq), append-only; every entry of a UTC
     * day by time ({@code by-day}: export, verification) and of a target by time
     * ({@code by-target}, sparse: a conversation's activity). Entries expire by TTL after the
     * retention.
     */
    public static final TableDefinition AUDIT = new TableDefinition("audit",
            string("chain"), number("seq"),
            List.of(new TableDefinition.Index("by-day", string("day"), string("position")),
                    new TableDefinition.Index("by-target", string("target"), string("position"))),
            EXPIRES_AT);

    /** All of them, in creation order. */
    public static final List<TableDefinition> ALL = List.of(USERS, AUTH, CHATS, CONVERSATIONS, CONNECTIONS, MEDIA,
            AUDIT);

    private final DynamoDbClient dynamo;
    private final DynamoSettings settings;

    public Tables(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.settings = settings;
    }

    /**
     * Creates every missing table (on-demand billing, encrypted at rest) and its TTL setting,
     * waits until each is active. Tables that exist are left as they are.
     *
     * @return the full names of the tables this call created
     */
    public List<String> create() {
        List<String> created = new ArrayList<>();
        for (TableDefinition table : ALL) {
            String name = settings.tableName(table.name());
            try {
                dynamo.createTable(createRequest(table, name));
                created.add(name);
                log.info("created table {}", name);
            } catch (ResourceInUseException e) {
                log.info("table {} exists", name);
            }
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
            if (table.ttlAttribute() != null) {
                var ttl = dynamo.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
                if (ttl == null || ttl.timeToLiveStatus() != TimeToLiveStatus.ENABLED) {
                    dynamo.updateTimeToLive(b -> b.tableName(name)
                            .timeToLiveSpecification(s -> s.enabled(true).attributeName(table.ttlAttribute())));
                }
            }
        }
        return created;
    }

    /**
     * Throws {@link IllegalStateException} naming the first table that is missing or not
     * active; returns quietly when all are ready.
     */
    public void check() {
        for (TableDefinition table : ALL) {
            String name = settings.tableName(table.name());
            try {
                TableDescription d = dynamo.describeTable(b -> b.tableName(name)).table();
                if (d.tableStatus() != TableStatus.ACTIVE) {
                    throw new IllegalStateException("table " + name + " is " + d.tableStatusAsString());
                }
            } catch (ResourceNotFoundException e) {
                throw new IllegalStateException("table " + name + " does not exist (run ./chatapp create-tables)");
            }
        }
    }

    static CreateTableRequest createRequest(TableDefinition table, String name) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        addAttribute(attributes, table.partitionKey());
        addAttribute(attributes, table.sortKey());
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableDefinition.Index index : table.indexes()) {
            addAttribute(attributes, index.partitionKey());
            addAttribute(attributes, index.sortKey());
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKey()))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        var builder = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .sseSpecification(SSESpecification.builder().enabled(true).build())
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.partitionKey(), table.sortKey()));
        if (!indexes.isEmpty()) {
            builder.globalSecondaryIndexes(indexes);
        }
        return builder.build();
    }

    private static List<KeySchemaElement> keySchema(TableDefinition.Key hash, TableDefinition.Key range) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(hash.attribute()).keyType(KeyType.HASH).build());
        if (range != null) {
            schema.add(KeySchemaElement.builder().attributeName(range.attribute()).keyType(KeyType.RANGE).build());
        }
        return schema;
    }

    private static void addAttribute(List<AttributeDefinition> attributes, TableDefinition.Key key) {
        if (key == null || attributes.stream().anyMatch(a -> a.attributeName().equals(key.attribute()))) {
            return;
        }
        attributes.add(AttributeDefinition.builder().attributeName(key.attribute()).attributeType(key.type()).build());
    }
}
