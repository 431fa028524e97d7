package chatapp.chat;

import chatapp.core.ChatAppException;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiter.Limit;
import java.time.Duration;

/**
 * Messages per minute per sender account, with a burst (issue 19): one bucket per account in the
 * shape's rate-limit store, so the limit holds across every socket, REST and every node
 * (docs/security.md, "Limits"). A send is charged before anything else is checked; a replay of a
 * stored {@code clientMessageId} is given its token back.
 */
public final class MessageLimit {

    /**
     * The rate: {@code perMinute} on average, at most {@code burst} at once.
     *
     * @throws IllegalArgumentException unless both are at least 1
     */
    public record Rate(int perMinute, int burst) {

        /** 60 a minute with bursts of 20 (docs/security.md). */
        public static final Rate DEFAULT = new Rate(60, 20);

        public Rate {
            if (perMinute < 1 || burst < 1) {
                throw new IllegalArgumentException("messages per minute and burst must be at least 1");
            }
        }
    }

    /** No limit: tools and benchmarks of the store alone. */
    public static final MessageLimit NONE = new MessageLimit(null, null);

    private final RateLimiter limiter;
    private final Limit limit;

    /** @param limiter the shape's limiter; null for {@link #NONE} */
    public MessageLimit(RateLimiter limiter, Rate rate) {
        this.limiter = limiter;
        this.limit = rate == null ? null : Limit.steady("send", rate.perMinute(), Duration.ofMinutes(1), rate.burst(),
                "too many messages from your account");
    }

    /**
     * Charges one message to {@code senderId}.
     *
     * @throws ChatAppException 429 {@code rate_limited} with the time to wait, over the limit
     */
    void take(String senderId) {
        if (limiter != null) {
            limiter.take(senderId, limit);
        }
    }

    /** Gives back the token of a send that stored nothing (a replay). */
    void giveBack(String senderId) {
        if (limiter != null) {
            limiter.giveBack(senderId, limit);
        }
    }
}
