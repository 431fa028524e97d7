package chatapp.server.account;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bucket4j's rate-limit buckets in this process's memory, for the one-machine shape: the same
 * compare-and-swap scheme as {@code chatapp.aws.DynamoBuckets}, over a map. A bucket is dropped
 * once it would be full again, so memory stays bounded by recent callers; a restart forgets
 * every limit (documented in docs/security.md).
 */
public final class LocalBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    private record Entry(byte[] state, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();

    public LocalBuckets() {
        super(ClientSideConfig.getDefault().withExpirationAfterWriteStrategy(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1))));
    }

    /** How many buckets are held (for tests). */
    int size() {
        return buckets.size();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                Entry e = buckets.get(key);
                return e == null || e.expiresAtMillis() <= System.currentTimeMillis() ? Optional.empty()
                        : Optional.of(e.state());
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                    Optional<Long> timeoutNanos) {
                long now = System.currentTimeMillis();
                long ttl = getClientSideConfig().getExpirationAfterWriteStrategy()
                        .map(s -> s.calculateTimeToLiveMillis(newState, currentTimeNanos())).orElse(3_600_000L);
                Entry next = new Entry(newData, now + Math.max(ttl, 0));
                boolean[] swapped = {false};
                buckets.compute(key, (k, current) -> {
                    boolean absent = current == null || current.expiresAtMillis() <= now;
                    if (originalData == null ? absent : !absent && Arrays.equals(current.state(), originalData)) {
                        swapped[0] = true;
                        return next;
                    }
                    return current;
                });
                if (swapped[0] && buckets.size() > 10_000) {
                    buckets.values().removeIf(e -> e.expiresAtMillis() <= now);
                }
                return swapped[0];
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("ChatApp uses the synchronous API");
    }

    @Override
    public void removeProxy(String key) {
        buckets.remove(key);
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        buckets.remove(key);
        return CompletableFuture.completedFuture(null);
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
