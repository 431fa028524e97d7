package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class TablesTest {

    private final MotoServer moto = MotoServer.get();
    private final DynamoSettings settings = moto.dynamoSettings("tables-test-");
    private final DynamoDbClient dynamo = settings.client();
    private final Tables tables = new Tables(dynamo, settings);

    @BeforeEach
    void reset() {
        moto.reset();
    }

    @Test
    void createMakesEveryTableWithItsIndexesAndTtlAndIsIdempotent() {
        assertThatThrownBy(tables::check).hasMessageContaining("tables-test-users does not exist");

        assertThat(tables.create()).hasSize(Tables.ALL.size());
        assertThat(tables.create()).as("second run creates nothing").isEmpty();
        tables.check();

        for (TableDefinition def : Tables.ALL) {
            TableDescription d = dynamo.describeTable(b -> b.tableName("tables-test-" + def.name())).table();
            assertThat(d.keySchema().getFirst().attributeName()).isEqualTo(def.partitionKey().attribute());
            assertThat(d.globalSecondaryIndexes().stream().map(i -> i.indexName()).toList())
                    .containsExactlyInAnyOrderElementsOf(def.indexes().stream().map(TableDefinition.Index::name).toList());
            if (def.ttlAttribute() != null) {
                var ttl = dynamo.describeTimeToLive(b -> b.tableName("tables-test-" + def.name())).timeToLiveDescription();
                assertThat(ttl.attributeName()).isEqualTo(def.ttlAttribute());
            }
        }
        assertThat(dynamo.listTables().tableNames()).contains("tables-test-WebSocketConnections");
    }
}
