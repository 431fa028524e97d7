package chatapp.lambda;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one {@code typing} event per connection and conversation per interval, as the
 * built-in gateway lets through. Kept in the memory of the execution environment: frames of
 * one connection usually reach the same warm environment, but a burst that API Gateway spreads
 * over several environments may let a few more through. Bounded (least recently used first out).
 */
final class TypingThrottle {

    private static final int MAX_KEYS = 10_000;

    private final long intervalNanos;
    private final Map<String, Long> last = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_KEYS;
        }
    };

    TypingThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** True if an event for {@code key} may go out now (and records it). */
    synchronized boolean allow(String key) {
        long now = System.nanoTime();
        Long previous = last.get(key);
        if (previous != null && now - previous < intervalNanos) {
            return false;
        }
        last.put(key, now);
        return true;
    }
}
