package chatapp.embedded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The rate-limit buckets of one database, held in memory and written behind to
 * {@code rate_limit_buckets} (docs/decisions/0040-rate-limits-write-behind.md). The memory copy
 * is the truth: the data directory's lock lets one process open the file, and every
 * {@link SqliteRateLimitStore} of that process shares this one instance, so a compare-and-set in
 * memory is exactly as strict as one in the file. Changed buckets reach the file with the
 * writer's next group after {@link #INTERVAL} (and when the database closes), so a send no
 * longer costs a write of its own; a crash forgets at most the last interval's charges.
 *
 * <p>A bucket that is not in memory is read from the file once; a clean one (its state is in the
 * file) may be dropped from memory again, a changed one never before it is written.
 */
final class HotBuckets {

    /** How long a changed bucket may wait for the file. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Clean buckets kept in memory beyond this many are dropped (read again when needed). */
    static final int KEPT = 100_000;
    /** How often expired buckets are dropped from memory. */
    private static final long SWEEP_NANOS = Duration.ofMinutes(1).toNanos();

    private final SqliteDatabase db;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private long lastFlush = System.nanoTime();
    private long lastSweep = System.nanoTime();

    HotBuckets(SqliteDatabase db) {
        this.db = db;
    }

    /**
     * One bucket as last written: {@code state} null for none. Compared by identity, so a flush
     * marks clean only the very version it wrote.
     */
    static final class Bucket {
        final byte[] state;
        final long expiresAt;
        final boolean dirty;

        private Bucket(byte[] state, long expiresAt, boolean dirty) {
            this.state = state;
            this.expiresAt = expiresAt;
            this.dirty = dirty;
        }

        boolean liveAt(long now) {
            return state != null && expiresAt > now;
        }
    }

    Optional<byte[]> read(String key, Instant now) {
        Bucket b = buckets.get(key);
        if (b == null) {
            b = buckets.computeIfAbsent(key, this::load);
        }
        // A copy: the memory state must not change but by compare-and-set.
        return b.liveAt(now.toEpochMilli()) ? Optional.of(b.state.clone()) : Optional.empty();
    }

    boolean compareAndSet(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now) {
        long at = now.toEpochMilli();
        boolean[] set = {false};
        // compute holds the key while it loads and swaps: nothing else reads or drops it meanwhile.
        buckets.compute(key, (k, current) -> {
            Bucket b = current == null ? load(k) : current;
            boolean matches = expected == null ? !b.liveAt(at) : b.liveAt(at) && Arrays.equals(b.state, expected);
            if (!matches) {
                return b;
            }
            set[0] = true;
            return new Bucket(next.clone(), expiresAt.toEpochMilli(), true);
        });
        if (set[0]) {
            changed.add(key);
        }
        return set[0];
    }

    private Bucket load(String key) {
        return db.read(h -> h.createQuery("select state, expires_at from rate_limit_buckets where bucket_key = ?")
                .bind(0, key)
                .map((rs, ctx) -> new Bucket(rs.getBytes(1), rs.getLong(2), false))
                .findOne()
                .orElseGet(() -> new Bucket(null, 0, false)));
    }

    /** Whether changed buckets have waited long enough (on the writer thread). */
    boolean due(long nanoTime) {
        return !changed.isEmpty() && nanoTime - lastFlush >= INTERVAL.toNanos();
    }

    /**
     * Writes every changed bucket on the writer's connection, inside the group's transaction,
     * and deletes the expired rows; the returned versions become clean once that transaction
     * is committed ({@link #written}).
     */
    List<Written> flush(Handle h, long nanoTime) {
        lastFlush = nanoTime;
        List<Written> written = new ArrayList<>();
        PreparedBatch upsert = h.prepareBatch("insert into rate_limit_buckets (bucket_key, state, expires_at)"
                + " values (?, ?, ?) on conflict (bucket_key) do update set state = excluded.state,"
                + " expires_at = excluded.expires_at");
        for (Iterator<String> it = changed.iterator(); it.hasNext(); ) {
            String key = it.next();
            it.remove();
            Bucket b = buckets.get(key);
            if (b == null || !b.dirty) {
                continue;
            }
            if (b.state != null) {
                upsert.bind(0, key).bind(1, b.state).bind(2, b.expiresAt).add();
            }
            written.add(new Written(key, b));
        }
        if (upsert.size() > 0) {
            upsert.execute();
        }
        h.execute("delete from rate_limit_buckets where expires_at <= ?", System.currentTimeMillis());
        return written;
    }

    /** After the commit of a {@link #flush}: its versions are in the file, so they are clean. */
    void written(List<Written> written, long nanoTime) {
        for (Written w : written) {
            buckets.replace(w.key(), w.version(), new Bucket(w.version().state, w.version().expiresAt, false));
        }
        if (buckets.size() > KEPT || nanoTime - lastSweep >= SWEEP_NANOS) {
            lastSweep = nanoTime;
            sweep(System.currentTimeMillis());
        }
    }

    /** A flush that failed: its buckets stay changed and are written with a later group. */
    void notWritten(List<Written> written) {
        for (Written w : written) {
            changed.add(w.key());
        }
    }

    /** One bucket version a flush wrote. */
    record Written(String key, Bucket version) {
    }

    /** Drops clean buckets that expired, then, above {@link #KEPT}, clean ones in any order. */
    private void sweep(long now) {
        int over = buckets.size() - KEPT;
        for (Map.Entry<String, Bucket> e : buckets.entrySet()) {
            Bucket b = e.getValue();
            if (b.dirty) {
                continue;
            }
            if (!b.liveAt(now) || over > 0) {
                if (buckets.remove(e.getKey(), b)) {
                    over--;
                }
            }
        }
    }
}
