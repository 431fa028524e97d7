package chatapp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link RateLimiter} over a {@link RateLimitStore}, run on every adapter: a burst
 * up to the capacity, then 429 with a Retry-After no longer than the period; refill with time;
 * independent keys and limits; no over-grant when callers race; buckets that expire once full
 * again. Subclasses give the store (fresh or shared: every test uses keys of its own).
 */
public abstract class RateLimiterContract {

    /** The store under test. */
    protected abstract RateLimitStore store();

    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private RateLimiter limiter() {
        return new RateLimiter(store(), clock);
    }

    private static final RateLimiter.Limit THREE_PER_10_MIN =
            RateLimiter.Limit.perPeriod("contract-three", 3, Duration.ofMinutes(10), "too many tries");

    @Test
    void aBurstUpToTheCapacityThenARefusalWithASaneRetryAfter() {
        RateLimiter limiter = limiter();
        String key = key();
        for (int i = 0; i < 3; i++) {
            limiter.take(key, THREE_PER_10_MIN);
        }
        clock.advance(Duration.ofMinutes(4));

        assertThatThrownBy(() -> limiter.take(key, THREE_PER_10_MIN))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.detail()).isEqualTo("too many tries; try again later");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(6));
                });
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isFalse();
        assertThat(limiter.peek(key, THREE_PER_10_MIN)).isEqualTo(Duration.ofMinutes(6));
        assertThatThrownBy(() -> limiter.check(key, THREE_PER_10_MIN))
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(6)));
    }

    @Test
    void aVolumeIsTakenAllOrNoneAndCheckedWithoutTaking() {
        RateLimiter limiter = limiter();
        String key = key();
        RateLimiter.Limit bytes = RateLimiter.Limit.perPeriod("contract-bytes", 1000, Duration.ofDays(1), "too many bytes");
        limiter.check(key, bytes, 1000);
        limiter.take(key, bytes, 600);
        assertThatThrownBy(() -> limiter.check(key, bytes, 401)).isInstanceOfSatisfying(ChatAppException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThatThrownBy(() -> limiter.take(key, bytes, 401)).isInstanceOf(ChatAppException.class);
        limiter.take(key, bytes, 400);
        assertThatThrownBy(() -> limiter.take(key(), bytes, 1001)).as("more than the capacity, even when full")
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofDays(1)));
    }

    @Test
    void aTokenGivenBackCanBeTakenAgainButNeverBeyondTheCapacity() {
        RateLimiter limiter = limiter();
        String key = key();
        limiter.giveBack(key, THREE_PER_10_MIN);
        for (int i = 0; i < 3; i++) {
            limiter.take(key, THREE_PER_10_MIN);
        }
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isFalse();
        limiter.giveBack(key, THREE_PER_10_MIN);
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isTrue();
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isFalse();
    }

    @Test
    void aSteadyLimitRefillsEvenlyUpToItsBurst() {
        RateLimiter limiter = limiter();
        String key = key();
        RateLimiter.Limit sixtyAMinute = RateLimiter.Limit.steady("contract-steady", 60, Duration.ofMinutes(1), 20,
                "too many messages");
        for (int i = 0; i < 20; i++) {
            limiter.take(key, sixtyAMinute);
        }
        assertThatThrownBy(() -> limiter.take(key, sixtyAMinute)).isInstanceOfSatisfying(ChatAppException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            limiter.take(key, sixtyAMinute);
        }
        assertThat(limiter.tryTake(key, sixtyAMinute)).isFalse();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 20; i++) {
            limiter.take(key, sixtyAMinute);
        }
        assertThat(limiter.tryTake(key, sixtyAMinute)).isFalse();
    }

    @Test
    void checkAndPeekTakeNothing() {
        RateLimiter limiter = limiter();
        String key = key();
        for (int i = 0; i < 10; i++) {
            limiter.check(key, THREE_PER_10_MIN);
            assertThat(limiter.peek(key, THREE_PER_10_MIN)).isZero();
        }
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isTrue();
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isTrue();
        limiter.check(key, THREE_PER_10_MIN);
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isTrue();
        assertThatThrownBy(() -> limiter.check(key, THREE_PER_10_MIN)).isInstanceOf(ChatAppException.class);
    }

    @Test
    void theRefillComesBackWhenThePeriodIsOverAndNotBefore() {
        RateLimiter limiter = limiter();
        String key = key();
        for (int i = 0; i < 3; i++) {
            limiter.take(key, THREE_PER_10_MIN);
        }
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(limiter.peek(key, THREE_PER_10_MIN)).isEqualTo(Duration.ofMillis(1));

        clock.advance(Duration.ofMillis(1));
        for (int i = 0; i < 3; i++) {
            limiter.take(key, THREE_PER_10_MIN);
        }
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isFalse();
    }

    @Test
    void aPartialRefillNeverFillsPastTheCapacity() {
        RateLimiter.Limit twoPerMinuteUpToFour = new RateLimiter.Limit("contract-partial", 4, 2, Duration.ofMinutes(1),
                "slow down");
        RateLimiter limiter = limiter();
        String key = key();
        for (int i = 0; i < 4; i++) {
            limiter.take(key, twoPerMinuteUpToFour);
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryTake(key, twoPerMinuteUpToFour)).isTrue();
        assertThat(limiter.tryTake(key, twoPerMinuteUpToFour)).isTrue();
        assertThat(limiter.tryTake(key, twoPerMinuteUpToFour)).as("two came back, not more").isFalse();

        clock.advance(Duration.ofMinutes(5));
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.tryTake(key, twoPerMinuteUpToFour)).as("token %d after a long pause", i).isTrue();
        }
        assertThat(limiter.tryTake(key, twoPerMinuteUpToFour)).as("capped at the capacity").isFalse();
    }

    @Test
    void keysAndLimitsAreIndependent() {
        RateLimiter.Limit other = RateLimiter.Limit.perPeriod("contract-other", 1, Duration.ofMinutes(10), "no");
        RateLimiter limiter = limiter();
        String a = key();
        String b = key();
        for (int i = 0; i < 3; i++) {
            limiter.take(a, THREE_PER_10_MIN);
        }
        assertThat(limiter.tryTake(a, THREE_PER_10_MIN)).isFalse();

        assertThat(limiter.tryTake(b, THREE_PER_10_MIN)).as("another key").isTrue();
        assertThat(limiter.tryTake(a, other)).as("another limit on the same key").isTrue();
        assertThat(limiter.tryTake(a, other)).isFalse();
    }

    @Test
    void twoLimitersOnOneStoreShareTheBuckets() {
        String key = key();
        limiter().take(key, THREE_PER_10_MIN);
        limiter().take(key, THREE_PER_10_MIN);
        limiter().take(key, THREE_PER_10_MIN);
        assertThat(limiter().tryTake(key, THREE_PER_10_MIN)).as("the node that restarted or the other node").isFalse();
    }

    @Test
    void racingTakesNeverGrantMoreThanTheCapacity() throws Exception {
        RateLimiter.Limit five = RateLimiter.Limit.perPeriod("contract-race", 5, Duration.ofHours(1), "busy");
        int racers = 16;
        for (int round = 0; round < 3; round++) {
            String key = key();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
                for (int i = 0; i < racers; i++) {
                    RateLimiter limiter = limiter(); // one per caller, as on separate nodes
                    Callable<Boolean> take = () -> {
                        start.await();
                        return limiter.tryTake(key, five);
                    };
                    results.add(pool.submit(take));
                }
                start.countDown();
                int granted = 0;
                for (Future<Boolean> r : results) {
                    if (r.get()) {
                        granted++;
                    }
                }
                assertThat(granted).as("granted in round %d", round).isEqualTo(5);
            }
        }
    }

    @Test
    void aBucketExpiresOnceItWouldBeFullAgain() {
        RateLimiter limiter = limiter();
        String key = key();
        limiter.take(key, THREE_PER_10_MIN);
        String stored = THREE_PER_10_MIN.name() + ":" + key;
        assertThat(store().read(stored, clock.instant())).isPresent();

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertThat(store().read(stored, clock.instant())).as("not full yet").isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(store().read(stored, clock.instant())).as("full again: expired").isEmpty();
        for (int i = 0; i < 3; i++) {
            limiter.take(key, THREE_PER_10_MIN);
        }
        assertThat(limiter.tryTake(key, THREE_PER_10_MIN)).isFalse();
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedStateOrAnExpiredOne() {
        RateLimitStore store = store();
        String key = "contract-cas:" + key();
        Instant now = clock.instant();
        byte[] first = {1, 2, 3};
        byte[] second = {4, 5};

        assertThat(store.read(key, now)).isEmpty();
        assertThat(store.compareAndSet(key, first, second, now.plusSeconds(60), now)).as("nothing to compare").isFalse();
        assertThat(store.compareAndSet(key, null, first, now.plusSeconds(60), now)).isTrue();
        assertThat(store.compareAndSet(key, null, second, now.plusSeconds(60), now)).as("exists").isFalse();
        assertThat(store.read(key, now)).hasValueSatisfying(v -> assertThat(v).containsExactly(first));

        assertThat(store.compareAndSet(key, second, first, now.plusSeconds(60), now)).as("stale").isFalse();
        assertThat(store.compareAndSet(key, first, second, now.plusMillis(1_500), now)).isTrue();
        assertThat(store.read(key, now)).hasValueSatisfying(v -> assertThat(v).containsExactly(second));

        Instant later = now.plusMillis(1_499);
        assertThat(store.read(key, later)).as("expiry kept to the millisecond").isPresent();
        Instant expired = now.plusMillis(1_500);
        assertThat(store.read(key, expired)).isEmpty();
        assertThat(store.compareAndSet(key, null, first, expired.plusSeconds(60), expired)).as("over an expired one")
                .isTrue();
        assertThat(store.read(key, expired)).hasValueSatisfying(v -> assertThat(v).containsExactly(first));
    }
}
