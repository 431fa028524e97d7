package chatapp.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link RateLimiter} keeps its buckets: one opaque state per key, changed only by
 * compare-and-set so that nodes sharing the store never grant more than the limit. A bucket
 * expires when it would be full again (a missing bucket is a full one), so the store holds only
 * recent callers. Keys may name a person (an email address): never log them.
 */
public interface RateLimitStore {

    /** The state stored under {@code key}, or empty if there is none or it expired by {@code now}. */
    Optional<byte[]> read(String key, Instant now);

    /**
     * Stores {@code next} under {@code key}, to expire at {@code expiresAt} (millisecond
     * precision), only if the stored state is still {@code expected} (byte for byte) or, for a
     * null {@code expected}, if there is none or it expired by {@code now}.
     *
     * @return false if another caller changed the bucket first (the caller reads it again)
     */
    boolean compareAndSet(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now);
}
