package chatapp.aws;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where ChatApp's DynamoDB tables live: the region and credentials (by default from AWS's
 * default provider chains: {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, instance roles, ...),
 * an optional endpoint override ({@code CHATAPP_DYNAMODB_ENDPOINT}, e.g. moto in tests) and the
 * prefix of every table name ({@code CHATAPP_TABLE_PREFIX}).
 *
 * @param region null to use the default region chain
 * @param endpoint null for AWS itself
 * @param tablePrefix prepended to every table name; empty for none
 * @param credentials null to use the default credentials chain
 */
public record DynamoSettings(Region region, URI endpoint, String tablePrefix, AwsCredentialsProvider credentials) {

    public DynamoSettings {
        tablePrefix = Objects.requireNonNullElse(tablePrefix, "");
    }

    /** The full name of {@code table} (a base name such as {@code users}) with the prefix. */
    public String tableName(String table) {
        return tablePrefix + table;
    }

    /**
     * A client for these settings on the small URL-connection HTTP client, with the SDK's
     * standard retries (which ride out throttling).
     */
    public DynamoDbClient client() {
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region != null ? region : new DefaultAwsRegionProviderChain().getRegion())
                .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
