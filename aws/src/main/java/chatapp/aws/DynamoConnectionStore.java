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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link ConnectionStore} on DynamoDB: table {@code WebSocketConnections}, keyed by
 * (userId, connectionId), found by connection id through the GSI {@code by-connection} (like every
 * GSI read, eventually consistent: a record written a moment ago may not be found by id yet).
 * TTL ({@link Tables#EXPIRES_AT}, epoch seconds) removes records whose holder died. A connection
 * awaiting hello carries {@code awaitingHello} (true) and the frames withheld meanwhile in the list
 * {@code withheld}; both go when it is greeted, in one conditional update, so an item without
 * them, as every item written before they existed, is a greeted connection.
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
    /** Present (true) only while the connection awaits its hello. */
    static final String AWAITING_HELLO = "awaitingHello";
    /** The JSON texts of frames withheld while awaiting hello, oldest first. */
    static final String WITHHELD = "withheld";
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
        if (c.awaitingHello()) {
            item.put(AWAITING_HELLO, AttributeValue.fromBool(true));
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

    @Override
    public boolean withhold(String userId, String connectionId, String frame, int max) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(userId, connectionId))
                    .updateExpression("SET #w = list_append(if_not_exists(#w, :none), :f)")
                    .conditionExpression("#a = :yes AND (attribute_not_exists(#w) OR size(#w) < :max)")
                    .expressionAttributeNames(Map.of("#w", WITHHELD, "#a", AWAITING_HELLO))
                    .expressionAttributeValues(Map.of(":none", AttributeValue.fromL(List.of()),
                            ":f", AttributeValue.fromL(List.of(AttributeValue.fromS(frame))),
                            ":yes", AttributeValue.fromBool(true), ":max", n(max))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // gone, greeted or full
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())
                    && String.valueOf(e.awsErrorDetails().errorMessage()).contains("Item size")) {
                return false; // the item would pass DynamoDB's 400 KB: as full
            }
            throw e;
        }
    }

    @Override
    public Optional<List<String>> greet(String userId, String connectionId) {
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(b -> b.tableName(table).key(key(userId, connectionId))
                    .updateExpression("REMOVE #a, #w")
                    .conditionExpression("attribute_exists(#u)")
                    .expressionAttributeNames(Map.of("#a", AWAITING_HELLO, "#w", WITHHELD, "#u", USER_ID))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        AttributeValue withheld = old == null ? null : old.get(WITHHELD);
        return Optional.of(withheld == null ? List.of() : withheld.l().stream().map(AttributeValue::s).toList());
    }

    private static Map<String, AttributeValue> key(String userId, String connectionId) {
        return Map.of(USER_ID, AttributeValue.fromS(userId), CONNECTION_ID, AttributeValue.fromS(connectionId));
    }

    private static WebSocketConnection record(Map<String, AttributeValue> item) {
        return new WebSocketConnection(item.get(USER_ID).s(), item.get(CONNECTION_ID).s(), item.get(HELD_BY).s(),
                Instant.ofEpochMilli(Long.parseLong(item.get(CONNECTED_AT).n())),
                Instant.ofEpochMilli(Long.parseLong(item.get(EXPIRES_AT_MILLIS).n())),
                item.containsKey(SESSION_ID) ? item.get(SESSION_ID).s() : null,
                item.containsKey(AWAITING_HELLO) && Boolean.TRUE.equals(item.get(AWAITING_HELLO).bool()));
    }

}
