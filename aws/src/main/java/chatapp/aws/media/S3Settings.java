package chatapp.aws.media;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where media objects live: the bucket ({@code CHATAPP_S3_BUCKET}), region and credentials (AWS's
 * default chains unless given), and an optional endpoint ({@code CHATAPP_S3_ENDPOINT}: moto,
 * S3Proxy, MinIO). With an endpoint, addressing is path-style (bucket in the path), which those
 * servers need on {@code localhost}.
 *
 * @param region null for the default region chain
 * @param endpoint null for AWS itself
 * @param credentials null for the default credentials chain
 */
public record S3Settings(Region region, URI endpoint, String bucket, AwsCredentialsProvider credentials) {

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("an S3 bucket is required (CHATAPP_S3_BUCKET)");
        }
    }

    /** A client on the small URL-connection HTTP client. */
    public S3Client client() {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region())
                .credentialsProvider(credentials())
                .forcePathStyle(endpoint != null);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** A presigner that signs for the same place as {@link #client()}. */
    public S3Presigner presigner() {
        var builder = S3Presigner.builder()
                .region(region())
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    @Override
    public Region region() {
        return region != null ? region : new DefaultAwsRegionProviderChain().getRegion();
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    }
}
