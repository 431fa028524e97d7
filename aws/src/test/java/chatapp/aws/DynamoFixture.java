package chatapp.aws;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Gives a test class fresh DynamoDB tables on the JVM's moto server: before the class, moto is
 * reset and every table of {@link Tables} is created. Register it as a static
 * {@code @RegisterExtension} field and use {@link #client()} and {@link #settings()}.
 */
public final class DynamoFixture implements BeforeAllCallback {

    private DynamoSettings settings;
    private DynamoDbClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        MotoServer moto = MotoServer.get();
        moto.reset();
        settings = moto.dynamoSettings("test-");
        if (client == null) {
            // Few retries: the SDK's retries would hide moto's (and our) errors.
            client = DynamoDbClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .region(settings.region())
                    .credentialsProvider(settings.credentials())
                    .endpointOverride(settings.endpoint())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .retryStrategy(RetryMode.STANDARD).build())
                    .build();
        }
        new Tables(client, settings).create();
    }

    public DynamoDbClient client() {
        return client;
    }

    public DynamoSettings settings() {
        return settings;
    }

    public MotoServer moto() {
        return MotoServer.get();
    }
}
