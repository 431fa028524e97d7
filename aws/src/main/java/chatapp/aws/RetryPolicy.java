package chatapp.aws;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The one retry policy of the DynamoDB adapters, for failures that mean "again, a moment
 * later": a transaction cancelled because another one touched the same items
 * ({@code TransactionConflict}, which DynamoDB does not retry by itself) or throttled, and
 * throttling itself ({@code ProvisionedThroughputExceeded}, {@code RequestLimitExceeded},
 * {@code ThrottlingException}, on top of the SDK's own few retries). Also paces the adapters'
 * own re-reads after losing a race on a condition (a send that lost its sequence number) and
 * the unprocessed items of batch calls. Waits are capped exponential with full jitter (AWS
 * Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base x 2^(n-1))].
 * A condition that failed ({@code ConditionalCheckFailed}) is an answer, never retried here.
 */
final class RetryPolicy {

    /** Cancellation reasons that pass by themselves. */
    private static final Set<String> TRANSIENT_REASONS = Set.of(
            "TransactionConflict", "ProvisionedThroughputExceeded", "ThrottlingError", "RequestLimitExceeded");

    /** What every adapter uses: up to 60 tries, 2 ms doubling to at most 200 ms (about 6 s in all). */
    static final RetryPolicy DEFAULT = new RetryPolicy(60, Duration.ofMillis(2), Duration.ofMillis(200));

    private final int maxAttempts;
    private final long baseMillis;
    private final long capMillis;

    RetryPolicy(int maxAttempts, Duration base, Duration cap) {
        this.maxAttempts = maxAttempts;
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** Whether {@code e} passes by itself: a conflict with another transaction or throttling. */
    static boolean isTransient(Throwable e) {
        if (e instanceof TransactionCanceledException c) {
            return c.hasCancellationReasons()
                    && c.cancellationReasons().stream().map(CancellationReason::code).anyMatch(TRANSIENT_REASONS::contains);
        }
        return e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException
                || e instanceof ThrottlingException;
    }

    /** Whether attempt number {@code attempt} (from 1) that failed with {@code e} is to be tried again. */
    boolean retries(Throwable e, int attempt) {
        return isTransient(e) && attempt < maxAttempts;
    }

    /** The wait before the try after attempt number {@code attempt} (from 1). */
    Duration delay(int attempt, RandomGenerator random) {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt - 1, 30));
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /**
     * Runs {@code call}, again after a pause while it fails transiently.
     *
     * @throws ChatAppException 503 {@code unavailable} once the tries are used up
     */
    <T> T call(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                pause(attempt, e);
            }
        }
    }

    /** As {@link #call(Supplier)}, for a call without a result. */
    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * Waits before trying again after attempt number {@code attempt} (from 1) failed with
     * {@code cause} (null for unprocessed batch items).
     *
     * @throws ChatAppException 503 {@code unavailable} if that was the last try
     */
    void pause(int attempt, RuntimeException cause) {
        if (attempt >= maxAttempts) {
            // A 503 the client may retry later; it carries no cause (refusals keep no stack).
            throw new ChatAppException(ErrorCode.UNAVAILABLE, "the store is too busy; try again");
        }
        try {
            Thread.sleep(delay(attempt, ThreadLocalRandom.current()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException failure = new IllegalStateException("interrupted while retrying", e);
            if (cause != null) {
                failure.addSuppressed(cause);
            }
            throw failure;
        }
    }
}
