package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiterContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on SQLite, plus what the write-behind must keep (HotBuckets): every store on
 * one database shares the buckets (the contract's "other node" is another store here), and
 * the buckets reach the file, within about a second and at the latest when the database closes,
 * so a restart does not refill them.
 */
class SqliteRateLimitStoreTest extends RateLimiterContract {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @Override
    protected RateLimitStore store() {
        return new SqliteRateLimitStore(sqlite.database());
    }

    private static final RateLimiter.Limit TWO_A_DAY =
            RateLimiter.Limit.perPeriod("sqlite-restart", 2, Duration.ofDays(1), "no more today");

    @Test
    void spentBucketsSurviveClosingAndReopeningTheDatabase(@TempDir Path dir) {
        Path data = dir.resolve("data");
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            RateLimiter limiter = new RateLimiter(new SqliteRateLimitStore(db), Clock.systemUTC());
            assertThat(limiter.tryTake("alice", TWO_A_DAY)).isTrue();
            assertThat(limiter.tryTake("alice", TWO_A_DAY)).isTrue();
            assertThat(limiter.tryTake("bob", TWO_A_DAY)).isTrue();
        }
        try (SqliteDatabase db = SqliteDatabase.open(data)) {
            RateLimiter limiter = new RateLimiter(new SqliteRateLimitStore(db), Clock.systemUTC());
            assertThat(limiter.tryTake("alice", TWO_A_DAY)).as("spent before the restart").isFalse();
            assertThat(limiter.tryTake("bob", TWO_A_DAY)).isTrue();
            assertThat(limiter.tryTake("bob", TWO_A_DAY)).isFalse();
        }
    }

    @Test
    void changedBucketsReachTheFileWithinAboutASecondWithoutAnyOtherWrite() {
        SqliteDatabase db = sqlite.database();
        RateLimiter limiter = new RateLimiter(new SqliteRateLimitStore(db), Clock.systemUTC());
        String key = "file-" + System.nanoTime();
        limiter.take(key, TWO_A_DAY);
        assertThat(within(Duration.ofSeconds(5), () -> db.read(h -> h.createQuery(
                        "select count(*) from rate_limit_buckets where bucket_key = ?")
                .bind(0, TWO_A_DAY.name() + ":" + key).mapTo(Integer.class).one()) == 1)).isTrue();
    }

    @Test
    void expiredRowsAreDeletedAsBucketsAreWritten() {
        SqliteDatabase db = sqlite.database();
        String stale = "sqlite-expired:" + System.nanoTime();
        db.write(h -> h.execute("insert into rate_limit_buckets (bucket_key, state, expires_at) values (?, ?, ?)",
                stale, new byte[] {1}, Instant.now().minusSeconds(60).toEpochMilli()));
        new SqliteRateLimitStore(db).compareAndSet("sqlite-expired:trigger", null, new byte[] {2},
                Instant.now().plusSeconds(600), Instant.now());
        assertThat(within(Duration.ofSeconds(5), () -> db.read(h -> h.createQuery(
                "select count(*) from rate_limit_buckets where bucket_key = ?").bind(0, stale)
                .mapTo(Integer.class).one()) == 0)).isTrue();
    }

    private static boolean within(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
