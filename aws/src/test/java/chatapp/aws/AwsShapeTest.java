package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.realtime.Connections;
import chatapp.realtime.Ticket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class AwsShapeTest {

    private final MotoServer moto = MotoServer.get();

    @Test
    void everyStoreIsOnTheTablesOfItsSettingsAndReadinessChecksThem() {
        moto.reset();
        DynamoSettings settings = moto.dynamoSettings("shape-test-");
        Instant later = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        try (AwsShape shape = new AwsShape(settings, null, null)) {
            assertThat(shape.store()).isEqualTo("dynamodb");
            assertThatThrownBy(shape::check).hasMessageContaining("shape-test-users does not exist");
            shape.tables().create();
            shape.check();
            shape.tickets().put(new Ticket("hash-1", "user-1", later));
            assertThat(shape.dynamo()).as("one client").isSameAs(shape.dynamo());
        }
        try (AwsShape other = new AwsShape(settings, null, null)) {
            assertThat(other.tickets().take("hash-1")).map(Ticket::userId).contains("user-1");
        }
    }

    @Test
    void aMissingSettingIsNamedWhenItsAdapterIsAskedFor() {
        URI nowhere = URI.create("http://127.0.0.1:9");
        try (AwsShape shape = new AwsShape(new DynamoSettings(MotoServer.REGION, nowhere, "", MotoServer.CREDENTIALS),
                null, null)) {
            assertThatThrownBy(shape::mediaFiles).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CHATAPP_S3_BUCKET");
            Connections connections = new Connections(shape.connections(), Clock.systemUTC());
            assertThatThrownBy(() -> shape.fanOut(connections, frame -> "{}")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CHATAPP_APIGATEWAY_ENDPOINT");
        }
    }
}
