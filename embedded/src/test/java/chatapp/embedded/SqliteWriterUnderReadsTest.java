package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteException;

/**
 * The writer under load with readers reading all the while, on a real SQLite file: a write that
 * reads then inserts (as a send does) must never fail with SQLITE_BUSY. A reader that catches the
 * WAL index header while a commit rewrites it takes the WAL write lock for a moment to re-read it;
 * a writer whose transaction began deferred and already reads gets SQLITE_BUSY at once, without
 * its busy timeout (docs/decisions/NEXT-sqlite-busy.md).
 */
class SqliteWriterUnderReadsTest {

    @TempDir
    Path tmp;

    @Test
    void readThenInsertWritesNeverFailWhileReadersRead() throws Exception {
        int writes = 20_000;
        long start = System.nanoTime();
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"));
             ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            db.write(h -> h.execute("create table t (id integer primary key, body text not null)"));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                    while (writing.get()) {
                        db.query("select max(id) from t", s -> {
                            try (ResultSet rs = s.executeQuery()) {
                                return rs.next() ? rs.getLong(1) : 0;
                            }
                        });
                        reads.incrementAndGet();
                    }
                }));
            }
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                sent.add(senders.submit(() -> {
                    try {
                        db.write(h -> {
                            try {
                                return readThenInsert(db);
                            } catch (SQLException e) {
                                throw new IllegalStateException("could not insert", e);
                            }
                        });
                    } catch (RuntimeException e) {
                        System.err.println("failed at ms " + (System.nanoTime() - start) / 1_000_000 + " after " + reads.get() + " reads");
                        failures.add(e);
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Thread reader : readers) {
                reader.join();
            }
            failures.stream().limit(3).forEach(f -> {
                Throwable cause = f.getCause();
                String code = cause instanceof SQLiteException se ? se.getResultCode() + " (" + se.getErrorCode() + ")" : "";
                System.err.println("write failed: " + code + " " + f + " / " + cause);
            });
            System.err.println(writes + " writes, " + failures.size() + " failed; " + reads.get() + " reads");
            assertThat(failures).isEmpty();
            long stored = db.query("select count(*) from t", s -> {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(stored).isEqualTo(writes);
        }
    }

    /** As a send: the newest id read first (a deferred transaction takes its snapshot here), then the insert. */
    private static long readThenInsert(SqliteDatabase db) throws SQLException {
        PreparedStatement newest = db.prepared("select max(id) from t");
        long last;
        try (ResultSet rs = newest.executeQuery()) {
            rs.next();
            last = rs.getLong(1);
        }
        PreparedStatement insert = db.prepared("insert into t (id, body) values (?, ?)");
        insert.setLong(1, last + 1);
        insert.setString(2, "m");
        insert.executeUpdate();
        return last + 1;
    }
}
