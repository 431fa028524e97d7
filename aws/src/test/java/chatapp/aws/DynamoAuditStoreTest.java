package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.audit.AuditEntry;
import chatapp.audit.AuditLog;
import chatapp.audit.AuditStore;
import chatapp.audit.AuditStoreContract;
import chatapp.audit.Who;
import chatapp.core.CursorCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoAuditStoreTest extends AuditStoreContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    private String table() {
        return dynamo.settings().tableName(Tables.AUDIT.name());
    }

    @Override
    protected AuditStore store() {
        return new DynamoAuditStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected void overwrite(AuditEntry forged) {
        // an attacker with write access puts over the item (the server's role may not: no UpdateItem, no DeleteItem)
        remove(forged.chain(), forged.seq());
        store().append(forged);
    }

    @Override
    protected void remove(String chain, long seq) {
        dynamo.client().deleteItem(b -> b.tableName(table())
                .key(Map.of("chain", AttributeValue.fromS(chain), "seq", AttributeValue.fromN(Long.toString(seq)))));
    }

    /** What DynamoDB's TTL does (moto does not expire items): deletes the items whose TTL has passed. */
    @Override
    protected void expire(Instant now) {
        // A scan is fine in a test: it plays TTL's sweep over the table.
        dynamo.client().scan(b -> b.tableName(table())).items().stream()
                .filter(i -> Long.parseLong(i.get(Tables.EXPIRES_AT).n()) <= now.getEpochSecond())
                .forEach(i -> dynamo.client().deleteItem(b -> b.tableName(table())
                        .key(Map.of("chain", i.get("chain"), "seq", i.get("seq")))));
    }

    @Test
    void entriesCarryTheTtlInEpochSecondsRoundedUp() {
        Clock clock = Clock.fixed(Instant.parse("2003-03-03T10:00:00.250Z"), java.time.ZoneOffset.UTC);
        AuditEntry e = new AuditLog(store(), new CursorCodec(new byte[32]), clock, AuditLog.DEFAULT_RETENTION)
                .record(new Who("u-ttl", null, null), chatapp.audit.AuditAction.SIGN_OUT, null, Map.of());

        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(table())
                .key(Map.of("chain", AttributeValue.fromS(e.chain()), "seq", AttributeValue.fromN("1")))).item();
        assertThat(item.get(Tables.EXPIRES_AT).n()).isEqualTo(Long.toString(e.expiresAt().getEpochSecond() + 1));
        assertThat(item).doesNotContainKey("target");
    }
}
