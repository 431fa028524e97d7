package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import chatapp.realtime.TicketStoreContract;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoTicketStoreTest extends TicketStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected TicketStore store() {
        return new DynamoTicketStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected String everythingStored() {
        // A scan is fine in a test: it proves what the table holds.
        return dynamo.client().scan(b -> b.tableName(dynamo.settings().tableName(Tables.AUTH.name())))
                .items().stream()
                .map(item -> item.values().stream().map(DynamoTicketStoreTest::text).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void ticketsLiveUnderTheTicketPrefixOfAuthAndCarryTheTtlInEpochSeconds() {
        Instant expiresAt = Instant.parse("2026-11-24T10:16:30.001Z");
        store().put(new Ticket("ttl-hash", "user-ttl", expiresAt));

        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b
                .tableName(dynamo.settings().tableName(Tables.AUTH.name()))
                .key(Map.of("pk", AttributeValue.fromS("ticket#ttl-hash"), "sk", AttributeValue.fromS("ticket"))))
                .item();
        assertThat(item.get(Tables.EXPIRES_AT).n()).isEqualTo(Long.toString(expiresAt.getEpochSecond() + 1));
        assertThat(item.get("userId").s()).isEqualTo("user-ttl");
    }

    private static String text(AttributeValue v) {
        return v.s() != null ? v.s() : String.valueOf(v.n());
    }
}
