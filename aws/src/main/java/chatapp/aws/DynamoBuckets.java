package chatapp.aws;

import static chatapp.aws.DynamoUserStore.PK;
import static chatapp.aws.DynamoUserStore.SK;
import static chatapp.aws.DynamoUserStore.n;
import static chatapp.aws.DynamoUserStore.s;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Bucket4j's rate-limit buckets in DynamoDB, shared by every node of the AWS shape: one item
 * per bucket in {@link Tables#AUTH} ({@code limit#<key>}, {@code bucket}) holding Bucket4j's
 * serialised state, updated by compare-and-swap (a conditional put on the previous state), the
 * scheme Bucket4j's generic {@link AbstractCompareAndSwapBasedProxyManager} is built for. Items
 * carry {@link Tables#EXPIRES_AT} (when the bucket would be full again), so idle buckets expire.
 * Bucket4j ships a DynamoDB backend only for the AWS SDK v1 and not at 8.19.0 (docs/decisions).
 */
public final class DynamoBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    static final String STATE = "state";
    static final String BUCKET = "bucket";

    private final DynamoDbClient dynamo;
    private final String auth;

    public DynamoBuckets(DynamoDbClient dynamo, DynamoSettings settings) {
        super(ClientSideConfig.getDefault().withExpirationAfterWriteStrategy(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(60))));
        this.dynamo = dynamo;
        this.auth = settings.tableName(Tables.AUTH.name());
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(PK, s("limit#" + key), SK, s(BUCKET));
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                var item = dynamo.getItem(b -> b.tableName(auth).key(key(key)).consistentRead(true)).item();
                return item == null || !item.containsKey(STATE) ? Optional.empty()
                        : Optional.of(item.get(STATE).b().asByteArray());
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                    Optional<Long> timeoutNanos) {
                long ttlMillis = getClientSideConfig().getExpirationAfterWriteStrategy()
                        .map(s -> s.calculateTimeToLiveMillis(newState, currentTimeNanos())).orElse(3_600_000L);
                long expiresAt = (System.currentTimeMillis() + Math.max(ttlMillis, 0)) / 1000 + 1;
                Map<String, AttributeValue> item = Map.of(PK, s("limit#" + key), SK, s(BUCKET),
                        STATE, AttributeValue.fromB(SdkBytes.fromByteArray(newData)), Tables.EXPIRES_AT, n(expiresAt));
                try {
                    if (originalData == null) {
                        dynamo.putItem(b -> b.tableName(auth).item(item).conditionExpression("attribute_not_exists(pk)"));
                    } else {
                        dynamo.putItem(b -> b.tableName(auth).item(item).conditionExpression("#s = :original")
                                .expressionAttributeNames(Map.of("#s", STATE))
                                .expressionAttributeValues(Map.of(":original",
                                        AttributeValue.fromB(SdkBytes.fromByteArray(originalData)))));
                    }
                    return true;
                } catch (ConditionalCheckFailedException e) {
                    return false; // another node won; Bucket4j reads again and retries
                }
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("ChatApp uses the synchronous API");
    }

    @Override
    public void removeProxy(String key) {
        dynamo.deleteItem(b -> b.tableName(auth).key(key(key)));
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return CompletableFuture.runAsync(() -> removeProxy(key));
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }
}
