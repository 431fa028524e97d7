package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.realtime.ConnectionStore;
import chatapp.realtime.ConnectionStoreContract;
import chatapp.realtime.WebSocketConnection;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoConnectionStoreTest extends ConnectionStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @Override
    protected ConnectionStore store() {
        return new DynamoConnectionStore(dynamo.client(), dynamo.settings());
    }

    @Test
    void recordsCarryTheTtlInEpochSeconds() {
        Instant expiresAt = Instant.parse("2026-11-24T10:30:30.000Z");
        store().put(new WebSocketConnection("user-ttl", "conn-ttl", "builtin:a", expiresAt.minusSeconds(900), expiresAt));

        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b
                .tableName(dynamo.settings().tableName(Tables.CONNECTIONS.name()))
                .key(Map.of("userId", AttributeValue.fromS("user-ttl"), "connectionId", AttributeValue.fromS("conn-ttl"))))
                .item();
        assertThat(item.get(Tables.EXPIRES_AT).n()).isEqualTo(Long.toString(expiresAt.getEpochSecond()));
    }
}
