package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer when another connection of the file holds SQLite's WAL write lock for a moment, on a
 * real file. In production only the writer writes, but a reader that catches the WAL index header
 * while a commit rewrites it takes that lock to re-read the header (sqlite3.c, walIndexReadHdr);
 * a writer that began its transaction deferred and has already read (as a send does) then got
 * SQLITE_BUSY at once, its busy timeout never consulted: a valid message refused about once in
 * 60,000 under load (docs/decisions/0062-sqlite-busy.md). Here a second connection holds the lock
 * for a known time, so the case is certain instead of rare.
 */
class SqliteWriterLockWaitTest {

    private static final long HELD_MILLIS = 300;

    @TempDir
    Path tmp;

    @Test
    void aReadThenInsertWriteWaitsForAMomentaryWriteLockInsteadOfFailing() throws Exception {
        Path dir = tmp.resolve("data");
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.write(h -> h.execute("create table t (id integer primary key, body text not null)"));
            db.write(h -> readThenInsert(db));

            CountDownLatch locked = new CountDownLatch(1);
            AtomicLong releasing = new AtomicLong(Long.MAX_VALUE);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("chatapp.db"));
                     Statement s = other.createStatement()) {
                    // an open write transaction holds the WAL write lock, as a reader re-reading the header does
                    other.setAutoCommit(false);
                    s.executeUpdate("insert into t (id, body) values (1000, 'held')");
                    locked.countDown();
                    Thread.sleep(HELD_MILLIS);
                    releasing.set(System.nanoTime());
                    other.rollback();
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

            long id = db.write(h -> readThenInsert(db));
            long written = System.nanoTime();
            holder.get(10, TimeUnit.SECONDS);

            assertThat(id).isEqualTo(2);
            assertThat(written).isGreaterThan(releasing.get()); // it waited for the lock
            long stored = db.query("select count(*) from t", s -> {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(stored).isEqualTo(2);
        }
    }

    /** As a send: the newest id read first (a deferred transaction takes its snapshot here), then the insert. */
    private static long readThenInsert(SqliteDatabase db) {
        try {
            long last;
            try (ResultSet rs = db.prepared("select max(id) from t").executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
            PreparedStatement insert = db.prepared("insert into t (id, body) values (?, ?)");
            insert.setLong(1, last + 1);
            insert.setString(2, "m");
            insert.executeUpdate();
            return last + 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert", e);
        }
    }
}
