package chatapp.embedded;

import chatapp.core.RateLimitStore;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link RateLimitStore} on SQLite: table {@code rate_limit_buckets}, so limits survive a
 * restart. Its buckets are held in memory, one copy per database whatever the number of stores
 * on it, and written behind within about a second ({@link HotBuckets}): compare-and-set is exact
 * in memory because only this process opens the database, and a send or login costs no write of
 * its own. Expired rows are deleted as the buckets are written.
 */
public final class SqliteRateLimitStore implements RateLimitStore {

    private final HotBuckets buckets;

    public SqliteRateLimitStore(SqliteDatabase db) {
        this.buckets = db.hotBuckets();
    }

    @Override
    public Optional<byte[]> read(String key, Instant now) {
        return buckets.read(key, now);
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now) {
        return buckets.compareAndSet(key, expected, next, expiresAt, now);
    }
}
