package chatapp.aws;

import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link TicketStore} on DynamoDB: items of the {@code auth} table keyed
 * {@code pk = "ticket#" + hash}, {@code sk = "ticket"} (the {@code ticket#} prefix is realtime's
 * share of that table). Taking is one {@code DeleteItem} returning the old item, so exactly one
 * taker gets it. TTL ({@link Tables#EXPIRES_AT}, epoch seconds) removes expired tickets.
 */
public final class DynamoTicketStore implements TicketStore {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String PK_PREFIX = "ticket#";
    static final String SORT = "ticket";
    static final String USER_ID = "userId";
    /** Exact expiry; {@link Tables#EXPIRES_AT} holds it rounded up to seconds for TTL. */
    static final String EXPIRES_AT_MILLIS = "expiresAtMillis";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoTicketStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.AUTH.name());
    }

    @Override
    public void put(Ticket ticket) {
        long millis = ticket.expiresAt().toEpochMilli();
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        PK, s(PK_PREFIX + ticket.ticketHash()),
                        SK, s(SORT),
                        USER_ID, s(ticket.userId()),
                        EXPIRES_AT_MILLIS, n(millis),
                        Tables.EXPIRES_AT, n(Math.ceilDiv(millis, 1000L))))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK)));
    }

    @Override
    public Optional<Ticket> take(String ticketHash) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of(PK, s(PK_PREFIX + ticketHash), SK, s(SORT)))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        if (old == null || old.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Ticket(ticketHash, old.get(USER_ID).s(),
                Instant.ofEpochMilli(Long.parseLong(old.get(EXPIRES_AT_MILLIS).n()))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
