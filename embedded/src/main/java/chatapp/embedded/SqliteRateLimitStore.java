package chatapp.embedded;

import chatapp.core.RateLimitStore;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link RateLimitStore} on SQLite: table {@code rate_limit_buckets}, so limits survive a
 * restart. Compare-and-set is one conditional statement on the single writer; creating a bucket
 * also deletes the expired ones.
 */
public final class SqliteRateLimitStore implements RateLimitStore {

    private final SqliteDatabase db;

    public SqliteRateLimitStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<byte[]> read(String key, Instant now) {
        return db.read(h -> h.createQuery("select state from rate_limit_buckets where bucket_key = ? and expires_at > ?")
                .bind(0, key).bind(1, now.toEpochMilli())
                .mapTo(byte[].class).findOne());
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now) {
        long expires = expiresAt.toEpochMilli();
        long at = now.toEpochMilli();
        return db.write(h -> {
            if (expected != null) {
                return h.execute("update rate_limit_buckets set state = ?, expires_at = ? where bucket_key = ? and state = ?",
                        next, expires, key, expected) == 1;
            }
            h.execute("delete from rate_limit_buckets where expires_at <= ?", at);
            return h.execute("insert into rate_limit_buckets (bucket_key, state, expires_at) values (?, ?, ?)"
                    + " on conflict (bucket_key) do nothing", key, next, expires) == 1;
        });
    }
}
