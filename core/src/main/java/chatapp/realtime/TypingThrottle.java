package chatapp.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * At most one {@code typing} event per connection and conversation per interval reaches the peer
 * (docs/protocol.md: every 2 s by default); the rest are dropped, not queued. Kept in the memory
 * of one process: in the API Gateway shape the frames of one connection usually reach the same
 * warm execution environment, and a burst spread over several may let a few more through.
 */
final class TypingThrottle {

    /**
     * Keys kept at most (some 150 bytes each). A key lives one interval, so only connections that
     * typed in the last interval count; past the bound some of them merely lose throttling.
     */
    static final int MAX_KEYS = 50_000;

    private final long intervalNanos;
    private final Ticker ticker;
    /** (connection, conversation) to the {@link Ticker#read()} of the last event let through. */
    private final Cache<Key, Long> last;

    private record Key(String connectionId, String conversationId) {
    }

    TypingThrottle(Duration interval) {
        this(interval, Ticker.systemTicker());
    }

    /** @param ticker nanoseconds, as {@link System#nanoTime()} (tests move it by hand) */
    TypingThrottle(Duration interval, Ticker ticker) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the typing interval must not be negative: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.ticker = ticker;
        this.last = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(interval).ticker(ticker).build();
    }

    /** True if a typing event of this connection in this conversation may go out now (and records it). */
    boolean allow(String connectionId, String conversationId) {
        long now = ticker.read();
        boolean[] allowed = {false};
        last.asMap().compute(new Key(connectionId, conversationId), (key, previous) -> {
            if (previous != null && now - previous < intervalNanos) {
                return previous;
            }
            allowed[0] = true;
            return now;
        });
        return allowed[0];
    }
}
