package chatapp.aws;

import chatapp.core.RateLimitStore;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link RateLimitStore} on DynamoDB, shared by every node of the AWS shape: bucket items of
 * {@link AuthItems} ({@code limit#<key>}) holding the limiter's state, replaced by a conditional
 * put on the previous state; TTL removes buckets once they would be full again.
 */
public final class DynamoRateLimitStore implements RateLimitStore {

    private final AuthItems auth;

    public DynamoRateLimitStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.auth = new AuthItems(dynamo, settings);
    }

    @Override
    public Optional<byte[]> read(String key, Instant now) {
        return auth.bucket(key, now);
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now) {
        return auth.replaceBucket(key, expected, next, expiresAt, now);
    }
}
