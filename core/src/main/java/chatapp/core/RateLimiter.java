package chatapp.core;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One limiter for every rate limit of ChatApp, configured per action by a {@link Limit} and
 * backed by the shape's {@link RateLimitStore}, so a limit holds across every node sharing the
 * store. The arithmetic is Bucket4j's token bucket (docs/decisions/0028-rate-limits-port.md);
 * each call reads the bucket and writes it back by compare-and-set.
 */
public final class RateLimiter {

    /**
     * One rate limit: {@code capacity} tokens at most; {@code refill} tokens come back all at
     * once every {@code period} (Bucket4j's interval refill), counted from the bucket's first use.
     *
     * @param name prefixes every key of this limit, so two limits never share a bucket
     * @param refusal the detail of the 429 (safe to show), e.g. "too many sign-ups from this address"
     */
    public record Limit(String name, long capacity, long refill, Duration period, String refusal) {

        public Limit {
            Objects.requireNonNull(name);
            Objects.requireNonNull(refusal);
            if (capacity < 1 || refill < 1 || refill > capacity || period.toMillis() < 1) {
                throw new IllegalArgumentException("limit " + name + ": need 1 <= refill <= capacity, period >= 1 ms");
            }
        }

        /**
         * A steady {@code rate} per {@code per} (e.g. 60 per minute) with at most {@code burst} at
         * once: the tokens come back a few at a time, spread evenly (every millisecond at the
         * finest), so a caller who waits a little may go on at the rate.
         */
        public static Limit steady(String name, long rate, Duration per, long burst, String refusal) {
            if (rate < 1 || burst < 1) {
                throw new IllegalArgumentException("limit " + name + ": need rate >= 1 and burst >= 1");
            }
            long perMillis = per.toMillis();
            long step = Math.max(1, perMillis / rate); // ms between refills of `refill` tokens
            long refill = Math.max(1, Math.min(burst, Math.round((double) rate * step / perMillis)));
            return new Limit(name, burst, refill, Duration.ofMillis(step), refusal);
        }

        /** {@code tokens} per {@code period}, all coming back together when the period is over. */
        public static Limit perPeriod(String name, int tokens, Duration period, String refusal) {
            return new Limit(name, tokens, tokens, period, refusal);
        }

        private BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(l -> l.capacity(capacity).refillIntervally(refill, period))
                    .build();
        }
    }

    private final Buckets buckets;

    /**
     * @param clock the time every refill is counted by; buckets expire by it too
     */
    public RateLimiter(RateLimitStore store, Clock clock) {
        this.buckets = new Buckets(store, clock);
    }

    /**
     * Takes one token from {@code key}'s bucket of {@code limit}.
     *
     * @throws ChatAppException 429 {@code rate_limited} with the limit's refusal and the time
     *         until a token comes back, if the bucket is empty
     */
    public void take(String key, Limit limit) {
        ConsumptionProbe probe = bucket(key, limit).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refusal(limit, probe.getNanosToWaitForRefill());
        }
    }

    /**
     * Takes {@code tokens} from {@code key}'s bucket of {@code limit} (bytes, for a limit on
     * volume), all or none.
     *
     * @throws ChatAppException 429 {@code rate_limited} if the bucket holds fewer; for more than
     *     the limit's capacity, with the limit's period as the time to wait
     */
    public void take(String key, Limit limit, long tokens) {
        if (tokens > limit.capacity()) {
            throw refusal(limit, limit.period().toNanos());
        }
        ConsumptionProbe probe = bucket(key, limit).tryConsumeAndReturnRemaining(Math.max(tokens, 1));
        if (!probe.isConsumed()) {
            throw refusal(limit, probe.getNanosToWaitForRefill());
        }
    }

    /**
     * Refuses as {@link #take(String, Limit, long)} would, but takes nothing (a size declared
     * before the bytes arrive).
     *
     * @throws ChatAppException 429 {@code rate_limited} if the bucket holds fewer than {@code tokens}
     */
    public void check(String key, Limit limit, long tokens) {
        if (tokens > limit.capacity()) {
            throw refusal(limit, limit.period().toNanos());
        }
        EstimationProbe probe = bucket(key, limit).estimateAbilityToConsume(Math.max(tokens, 1));
        if (!probe.canBeConsumed()) {
            throw refusal(limit, probe.getNanosToWaitForRefill());
        }
    }

    /**
     * Puts back one token taken for something that turned out not to count (a replayed send),
     * never beyond the capacity.
     */
    public void giveBack(String key, Limit limit) {
        bucket(key, limit).addTokens(1);
    }

    /** Takes one token if there is one and says whether it did; never refuses (counting failures). */
    public boolean tryTake(String key, Limit limit) {
        return bucket(key, limit).tryConsume(1);
    }

    /**
     * Refuses as {@link #take} would, but takes nothing: for a limit counted elsewhere (failed
     * logins are counted after the failure, checked before each attempt).
     *
     * @throws ChatAppException 429 {@code rate_limited} if the bucket is empty
     */
    public void check(String key, Limit limit) {
        Duration wait = peek(key, limit);
        if (!wait.isZero()) {
            throw refusal(limit, wait.toNanos());
        }
    }

    /** How long until {@code key}'s bucket of {@code limit} has a token: zero if it has one now. */
    public Duration peek(String key, Limit limit) {
        EstimationProbe probe = bucket(key, limit).estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1));
    }

    private BucketProxy bucket(String key, Limit limit) {
        BucketConfiguration configuration = limit.configuration();
        return buckets.builder().build(limit.name() + ":" + key, () -> configuration);
    }

    private static ChatAppException refusal(Limit limit, long nanosToWait) {
        return ChatAppException.rateLimited(limit.refusal() + "; try again later",
                Duration.ofNanos(Math.max(nanosToWait, 1)));
    }

    /**
     * Bucket4j's distributed buckets over the store: its generic compare-and-swap scheme, the
     * state serialised by Bucket4j, the expiry the moment the bucket would be full again.
     */
    private static final class Buckets extends AbstractCompareAndSwapBasedProxyManager<String> {

        private final RateLimitStore store;
        private final Clock clock;

        Buckets(RateLimitStore store, Clock clock) {
            super(ClientSideConfig.getDefault()
                    .withClientClock(new TimeMeter() {
                        @Override
                        public long currentTimeNanos() {
                            return nanos(clock.instant());
                        }

                        @Override
                        public boolean isWallClockBased() {
                            return true;
                        }
                    })
                    .withExpirationAfterWriteStrategy(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO)));
            this.store = store;
            this.clock = clock;
        }

        @Override
        protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
            return new CompareAndSwapOperation() {
                @Override
                public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                    return store.read(key, clock.instant());
                }

                @Override
                public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                        Optional<Long> timeoutNanos) {
                    Instant now = clock.instant();
                    long ttlMillis = getClientSideConfig().getExpirationAfterWriteStrategy().orElseThrow()
                            .calculateTimeToLiveMillis(newState, nanos(now));
                    // At least a millisecond: an item written already expired would be read as absent.
                    return store.compareAndSet(key, originalData, newData, now.plusMillis(Math.max(ttlMillis, 1)), now);
                }
            };
        }

        private static long nanos(Instant t) {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        }

        @Override
        protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
            throw new UnsupportedOperationException("ChatApp uses the synchronous API");
        }

        @Override
        public void removeProxy(String key) {
            throw new UnsupportedOperationException("buckets expire by themselves");
        }

        @Override
        protected CompletableFuture<Void> removeAsync(String key) {
            throw new UnsupportedOperationException("buckets expire by themselves");
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
}
