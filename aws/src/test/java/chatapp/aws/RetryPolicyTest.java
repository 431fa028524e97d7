package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** What the one retry policy retries, how long it waits and when it gives up. */
class RetryPolicyTest {

    private static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder().message("cancelled")
                .cancellationReasons(Arrays.stream(codes).map(c -> CancellationReason.builder().code(c).build()).toList())
                .build();
    }

    @Test
    void conflictsAndThrottlingAreTransient() {
        assertThat(RetryPolicy.isTransient(cancelled("None", "TransactionConflict"))).isTrue();
        assertThat(RetryPolicy.isTransient(cancelled("ProvisionedThroughputExceeded"))).isTrue();
        assertThat(RetryPolicy.isTransient(cancelled("ThrottlingError", "None"))).isTrue();
        assertThat(RetryPolicy.isTransient(cancelled("RequestLimitExceeded"))).isTrue();
        assertThat(RetryPolicy.isTransient(ProvisionedThroughputExceededException.builder().message("slow").build()))
                .isTrue();
        assertThat(RetryPolicy.isTransient(RequestLimitExceededException.builder().message("slow").build())).isTrue();
        assertThat(RetryPolicy.isTransient(ThrottlingException.builder().message("slow").build())).isTrue();
    }

    @Test
    void failedConditionsAndOtherErrorsAreAnswers() {
        assertThat(RetryPolicy.isTransient(cancelled("ConditionalCheckFailed", "None"))).isFalse();
        assertThat(RetryPolicy.isTransient(cancelled("None", "ValidationError"))).isFalse();
        assertThat(RetryPolicy.isTransient(TransactionCanceledException.builder().message("no reasons").build()))
                .isFalse();
        assertThat(RetryPolicy.isTransient(ConditionalCheckFailedException.builder().message("no").build())).isFalse();
        assertThat(RetryPolicy.isTransient(ResourceNotFoundException.builder().message("no table").build())).isFalse();
        assertThat(RetryPolicy.isTransient(AwsServiceException.builder().message("boom").build())).isFalse();
        assertThat(RetryPolicy.isTransient(new IllegalStateException())).isFalse();
    }

    @Test
    void delaysGrowExponentiallyUpToTheCapWithJitter() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(4), Duration.ofMillis(50));
        Random random = new Random(18);
        long[] longest = new long[12];
        for (int run = 0; run < 2_000; run++) {
            for (int attempt = 1; attempt < longest.length; attempt++) {
                long ms = policy.delay(attempt, random).toMillis();
                assertThat(ms).as("attempt %d", attempt).isBetween(0L, Math.min(50L, 4L << (attempt - 1)));
                longest[attempt] = Math.max(longest[attempt], ms);
            }
        }
        assertThat(longest[1]).as("jitter reaches the ceiling of try 1").isEqualTo(4);
        assertThat(longest[3]).isEqualTo(16);
        assertThat(longest[11]).as("capped").isEqualTo(50);
        assertThat(policy.delay(1_000, random)).isLessThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void retriesTransientFailuresUntilTheLastAttempt() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));
        assertThat(policy.retries(cancelled("TransactionConflict"), 1)).isTrue();
        assertThat(policy.retries(cancelled("TransactionConflict"), 2)).isTrue();
        assertThat(policy.retries(cancelled("TransactionConflict"), 3)).isFalse();
        assertThat(policy.retries(cancelled("ConditionalCheckFailed"), 1)).isFalse();

        AtomicInteger calls = new AtomicInteger();
        assertThat(policy.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw cancelled("TransactionConflict");
            }
            return "done";
        })).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpWith503AndPassesAnswersThrough() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.run(() -> {
            calls.incrementAndGet();
            throw ThrottlingException.builder().message("slow").build();
        })).isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(calls).hasValue(3);

        calls.set(0);
        TransactionCanceledException condition = cancelled("ConditionalCheckFailed");
        assertThatThrownBy(() -> policy.run(() -> {
            calls.incrementAndGet();
            throw condition;
        })).isSameAs(condition);
        assertThat(calls).hasValue(1);
    }
}
