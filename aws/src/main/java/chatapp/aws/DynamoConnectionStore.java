package chatapp.aws;

import static chatapp.aws.AttributeValues.n;

import chatapp.realtime.ConnectionStore;
import chatapp.realtime.WebSocketConnection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ConnectionStore} on DynamoDB: table {@code WebSocketConnections}, keyed by
 * (userId, connectionId), found by connection id through the GSI {@code by-connection} (like every
 * GSI read, eventually consistent: a record written a moment ago may not be found by id yet).
 * TTL ({@link Tables#EXPIRES_AT}, epoch seconds) removes records whose holder died.
 */
public final class DynamoConnectionStore implements ConnectionStore {

    static final String USER_ID = "userId";
    static final String CONNECTION_ID = "connectionId";
    static final String HELD_BY = "heldBy";
    static final String CONNECTED_AT = "connectedAt";
    /** Exact expiry; {@link Tables#EXPIRES_AT} holds it rounded up to seconds for TTL. */
    static final String EXPIRES_AT_MILLIS = "expiresAtMillis";
    /** The session the connection belongs to; absent when bound to none. */
    static final String SESSION_ID = "sessionId";
    static final String BY_CONNECTION = Tables.CONNECTIONS.indexes().getFirst().name();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectionStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.CONNECTIONS.name());
    }

    @Override
    public void put(WebSocketConnection c) {
        long expires = c.expiresAt().toEpochMilli();
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                USER_ID, AttributeValue.fromS(c.userId()),
                CONNECTION_ID, AttributeValue.fromS(c.connectionId()),
                HELD_BY, AttributeValue.fromS(c.heldBy()),
                CONNECTED_AT, n(c.connectedAt().toEpochMilli()),
                EXPIRES_AT_MILLIS, n(expires),
                Tables.EXPIRES_AT, n(Math.ceilDiv(expires, 1000L))));
        if (c.sessionId() != null) {
            item.put(SESSION_ID, AttributeValue.fromS(c.sessionId()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<WebSocketConnection> forUser(String userId) {
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#u = :u")
                        .expressionAttributeNames(Map.of("#u", USER_ID))
                        .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                        .consistentRead(true))
                .items().stream().map(DynamoConnectionStore::record).toList();
    }

    @Override
    public Optional<WebSocketConnection> find(String connectionId) {
        return dynamo.query(b -> b.tableName(table).indexName(BY_CONNECTION)
                        .keyConditionExpression("#c = :c")
                        .expressionAttributeNames(Map.of("#c", CONNECTION_ID))
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(connectionId)))
                        .limit(1))
                .items().stream().findFirst().map(DynamoConnectionStore::record);
    }

    @Override
    public boolean remove(String userId, String connectionId) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of(USER_ID, AttributeValue.fromS(userId), CONNECTION_ID, AttributeValue.fromS(connectionId)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    private static WebSocketConnection record(Map<String, AttributeValue> item) {
        return new WebSocketConnection(item.get(USER_ID).s(), item.get(CONNECTION_ID).s(), item.get(HELD_BY).s(),
                Instant.ofEpochMilli(Long.parseLong(item.get(CONNECTED_AT).n())),
                Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT_MILLIS).n())),
                item.containsKey(SESSION_ID) ? item.get(SESSION_ID).s() : null);
    }

}
