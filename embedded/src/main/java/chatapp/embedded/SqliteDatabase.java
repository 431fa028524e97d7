package chatapp.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The one-machine database: one SQLite file ({@code chatapp.db}) in WAL mode under the data
 * directory, migrated by Flyway on open, held by one process at a time (a lock file).
 *
 * <p>SQLite has one writer at a time, so every write goes through {@link #write}: one writer
 * thread runs queued writes in small groups inside one transaction (each in its own savepoint,
 * so one failing write does not undo the others) and commits the group with one fsync
 * ({@code synchronous=FULL}). A caller's {@code write} returns only after that commit: nothing is
 * acknowledged before it is durable. {@link #writeAsync} queues a write the same way without
 * waiting for it (a WebSocket connection's pipelined sends); a group led by such a write waits a
 * moment for company ({@link Gathering}). Reads run concurrently on a small pool of read-only
 * connections and see only committed data.
 */
public final class SqliteDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

    /** Writes queued beyond this make callers wait (back-pressure, bounded memory). */
    private static final int QUEUE_CAPACITY = 4096;
    /** The write connection's page cache, KiB (SQLite's default is 2,048). */
    static final int WRITE_CACHE_KIB = 32 * 1024;
    /** At most this many writes share one transaction and one fsync. */
    static final int MAX_GROUP = 256;

    private final Path dataDir;
    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final HikariDataSource readers;
    /**
     * Statements of the hot reads, prepared once per read connection (keyed by the driver's
     * connection under the pool's proxy); a connection is used by one thread at a time.
     */
    private final Map<Connection, Map<String, PreparedStatement>> readStatements = new ConcurrentHashMap<>();
    private final Jdbi readJdbi;
    private final Handle writeHandle;
    /** Statements of the hot write paths, prepared once on the write connection (writer thread only). */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final HotBuckets hotBuckets;
    private final BlockingQueue<WriteTask<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    /**
     * Groups committed by the writer, whose callers are yet to be woken: waking 256 threads costs
     * the writer as much as a good part of their writes, so another thread does it.
     */
    private final BlockingQueue<Runnable> committed = new LinkedBlockingQueue<>();
    private final Thread acker;
    /**
     * Committed groups' {@link #writeAsync} results, completed in commit order on a thread of their
     * own: what depends on them (fan-out, acks) may itself wait for a write, which the acker
     * must never do (it wakes that write's caller).
     */
    private final BlockingQueue<Runnable> completions = new LinkedBlockingQueue<>();
    private final Thread completer;
    private final int maxGroup;
    private final Gathering gathering;
    /** The size of the writer's last group (writer thread only): whether other writers are about. */
    private int lastGroupSize;
    /** When the writer's last group committed ({@link System#nanoTime()}, writer thread only). */
    private long lastGroupEnded;
    /** When the gathering group last took a write ({@link System#nanoTime()}, writer thread only). */
    private long lastTaken;
    /** How long the gathering group has slept so far, in nanoseconds (writer thread only). */
    private long gatheringSlept;
    /** How long a gathering writer sleeps between looks at the queue. */
    private static final long GATHER_SLICE_NANOS = 1_000_000L;
    private volatile boolean closed;
    /** Told of each group commit (the server's metrics); null when nobody listens. */
    private volatile Consumer<GroupCommit> commits;

    private SqliteDatabase(Path dataDir, FileChannel lockChannel, FileLock lock, int maxGroup, Gathering gathering)
            throws SQLException {
        this.dataDir = dataDir;
        this.maxGroup = maxGroup;
        this.gathering = gathering;
        this.file = dataDir.resolve("chatapp.db");
        this.lockChannel = lockChannel;
        this.lock = lock;
        String url = "jdbc:sqlite:" + file;

        SQLiteConfig writeConfig = baseConfig();
        writeConfig.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: in WAL mode NORMAL may lose the last commits on power loss; an ack is a promise.
        writeConfig.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        writeConfig.enforceForeignKeys(true);
        // Each write's savepoint journals the pages it changes; past 64 KiB SQLite spilled that journal
        // to a temporary file, a write() per page, and a send's write (its indexes, the search index)
        // went past it. In memory it is a copy (docs/decisions/0072-websocket-message-cpu-2.md).
        writeConfig.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // The pages a group of sends changes (every index of chats and conversations, the search
        // index) did not stay in the default 2 MiB: read again from the file, a read() each. KiB:
        // filled only as pages are used.
        writeConfig.setCacheSize(-WRITE_CACHE_KIB);
        Connection writeConnection = DriverManager.getConnection(url, writeConfig.toProperties());

        migrate(url, writeConnection);

        SQLiteConfig readConfig = baseConfig();
        readConfig.setReadOnly(true);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setDataSourceProperties(readConfig.toProperties());
        pool.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        pool.setPoolName("sqlite-readers");
        pool.setReadOnly(true);
        // A local file's connections never go stale; kept for good, their prepared reads stay valid.
        pool.setMaxLifetime(0);
        this.readers = new HikariDataSource(pool);
        this.readJdbi = Jdbi.create(readers);
        this.writeHandle = Jdbi.open(writeConnection);
        // No write reads generated keys; the driver would otherwise match every insert against a
        // pattern and run a "select last_insert_rowid()" after it (docs/benchmarks.md, "The
        // WebSocket path's CPU per message").
        writeConnection.unwrap(SQLiteConnection.class).getConnectionConfig().setGetGeneratedKeys(false);
        this.hotBuckets = new HotBuckets(this);

        this.writer = Thread.ofPlatform().name("sqlite-writer").daemon(true).unstarted(this::runWriter);
        this.acker = Thread.ofPlatform().name("sqlite-acks").daemon(true).unstarted(this::runAcker);
        this.completer = Thread.ofPlatform().name("sqlite-completions").daemon(true).unstarted(this::runCompleter);
        writer.start();
        acker.start();
        completer.start();
    }

    /**
     * The newest migration under {@code db/migration/sqlite}, the version a current database is at
     * (SqliteMigrationsTest fails when a newer file is added without raising it).
     */
    static final int SCHEMA_VERSION = 21;

    /**
     * Applies the migrations the database lacks. A restart finds it current, and then Flyway is
     * not started at all: its configuration, class-path scan and validation of every applied
     * migration took a noticeable part of a start's CPU (docs/decisions, "start in three
     * seconds"). Any other state (a new file, an older schema, a failed or unknown migration, a
     * newer one) goes to Flyway, which applies or refuses as before.
     */
    private static void migrate(String url, Connection connection) {
        if (appliedVersion(connection) == SCHEMA_VERSION) {
            return;
        }
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .migrate();
    }

    /** The newest version Flyway applied, when every applied migration succeeded; else -1 (also without a history). */
    static int appliedVersion(Connection connection) {
        try (var statement = connection.createStatement();
                var result = statement.executeQuery("SELECT MAX(CAST(version AS INTEGER)), MIN(success), COUNT(*)"
                        + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
            return result.next() && result.getInt(3) > 0 && result.getInt(2) == 1 ? result.getInt(1) : -1;
        } catch (SQLException e) {
            return -1; // no history table: a new database
        }
    }

    private static SQLiteConfig baseConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        return config;
    }

    /**
     * Opens (creating if needed) the database under {@code dataDir}: creates the directory with
     * owner-only permissions, takes the directory lock, applies migrations.
     *
     * @throws DataDirectoryException if the directory cannot be created or written, or another
     *     ChatApp holds it; the message is one line fit for an operator
     */
    public static SqliteDatabase open(Path dataDir) {
        return open(dataDir, MAX_GROUP);
    }

    /**
     * As {@link #open(Path)}, with at most {@code maxGroup} writes per commit; 1 turns group
     * commit off (one fsync per write), which only the benchmarks want, to show what it buys.
     */
    public static SqliteDatabase open(Path dataDir, int maxGroup) {
        return open(dataDir, maxGroup, Gathering.DEFAULT);
    }

    /** As {@link #open(Path, int)}, gathering pipelined writes as {@code gathering} says (tests). */
    static SqliteDatabase open(Path dataDir, int maxGroup, Gathering gathering) {
        if (maxGroup < 1 || maxGroup > QUEUE_CAPACITY) {
            throw new IllegalArgumentException("maxGroup must be 1.." + QUEUE_CAPACITY);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            ownerOnly(dir);
            if (!Files.isWritable(dir)) {
                throw new DataDirectoryException("data directory " + dir + " is not writable");
            }
            channel = FileChannel.open(dir.resolve("chatapp.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new DataDirectoryException("data directory " + dir
                        + " is in use by another ChatApp process (lock held on chatapp.lock)");
            }
            return new SqliteDatabase(dir, channel, lock, maxGroup, gathering);
        } catch (AccessDeniedException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("data directory " + dir + " is not writable: " + e.getFile());
        } catch (FileSystemException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("data directory " + dir + " cannot be used: " + e.getMessage());
        } catch (IOException | SQLException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("data directory " + dir + " cannot be opened: " + e.getMessage());
        }
    }

    private static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original error is the one to report
            }
        }
    }

    /** The data directory this database lives in (absolute). */
    public Path dataDir() {
        return dataDir;
    }

    /** Runs {@code work} on a read-only connection; sees only committed data. */
    public <T> T read(Function<Handle, T> work) {
        return readJdbi.withHandle(work::apply);
    }

    /** Work on a statement of {@link #query}: bind every parameter, close what it opens. */
    @FunctionalInterface
    public interface Query<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs {@code work} on a read-only connection with the statement for {@code sql}, prepared on
     * that connection's first use and kept (a JDBI query and a fresh prepare cost several times
     * the read itself; docs/benchmarks.md). For the reads of every request (a send's inbox row);
     * sees only committed data, as {@link #read}. {@code work} must close the result sets it
     * opens (try-with-resources), which ends the read.
     *
     * @throws IllegalStateException if the database cannot be read
     */
    public <T> T query(String sql, Query<T> work) {
        try (Connection pooled = readers.getConnection()) {
            Connection connection = pooled.unwrap(SQLiteConnection.class);
            Map<String, PreparedStatement> statements = readStatements.get(connection);
            if (statements == null) {
                // a new connection: forget those the pool closed (none unless one broke)
                readStatements.keySet().removeIf(SqliteDatabase::isClosed);
                statements = new ConcurrentHashMap<>();
                readStatements.put(connection, statements);
            }
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return work.run(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + file, e);
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Runs {@code work} on the single write connection, inside a transaction that it shares
     * with other queued writes, and returns its result once that transaction is durably
     * committed. If {@code work} throws, only its own changes are rolled back and the exception
     * is rethrown here; if the commit itself fails, every write of the group fails.
     */
    public <T> T write(Function<Handle, T> work) {
        if (closed) {
            throw new IllegalStateException("database is closed");
        }
        if (Thread.currentThread() == acker || Thread.currentThread() == writer) {
            throw new IllegalStateException("a write from the writer's own threads would wait for itself");
        }
        WriteTask<T> task = new WriteTask<>(work, new CompletableFuture<>(), false);
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a write", e);
        }
        try {
            return task.result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * As {@link #write}, without waiting: queues {@code work} behind every write queued before it
     * (so the writes of one caller commit in call order) and completes {@code result} with its
     * outcome once its group is durably committed (or with the exception {@code work} threw, or
     * the commit's). Results complete in commit order, on one thread of the database's, with
     * {@code result}'s dependent stages run there at once: they may use the database (a write
     * from there delays later completions, never deadlocks), but should hand long work off.
     * Waits only while the queue is full (back-pressure).
     *
     * @throws IllegalStateException if the database is closed or the thread is interrupted while
     *     the queue is full (then {@code result} is left as it is)
     */
    public <T> void writeAsync(Function<Handle, T> work, CompletableFuture<T> result) {
        if (closed) {
            throw new IllegalStateException("database is closed");
        }
        try {
            queue.put(new WriteTask<>(work, result, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a write", e);
        }
    }

    /** Cheap check that the database answers, for readiness. */
    public void check() {
        read(h -> h.createQuery("select 1").mapTo(Integer.class).one());
        if (closed || !writer.isAlive()) {
            throw new IllegalStateException("SQLite writer is not running");
        }
    }

    /**
     * How long a group of pipelined writes ({@link #writeAsync}) takes more writes before it
     * commits (running each as it comes), when the writer's last group had company
     * (docs/decisions/0077-commit-gathering.md). A commit's own work (the pages of every index it
     * changed, written to the WAL, and the fsync) is paid once per group, so at a few thousand
     * sends a second larger groups cost the writer much less per message, for a few milliseconds
     * of latency. A caller waiting on {@link #write} is never made to wait for company (its next
     * write would wait too: a closed loop only slows down): its write ends the gathering of a
     * group it joins. Nor is a write when the last group held one write or ended a pause before
     * it (nobody else is writing).
     *
     * @param withinNanos the longest a group's first write waits, from when it was queued
     * @param gapNanos the group commits once no write has come for this long (a pause; the writer
     *     looks every millisecond)
     */
    record Gathering(long withinNanos, long gapNanos) {
        /**
         * 10 ms at most, ended by 2 ms without a write (a 1 ms pause ended most groups at 3,000
         * sends a second, which arrive about every 0.33 ms): docs/decisions/0077-commit-gathering.md.
         */
        static final Gathering DEFAULT = new Gathering(10_000_000L, 2_000_000L);
    }

    /**
     * The writer thread: takes the first queued write and every write queued behind it (up to
     * {@code maxGroup}), runs them as one group (a pipelined group takes more as it runs,
     * {@link Gathering}), one commit; rate-limit buckets changed in memory ride along with a
     * group once they are due ({@link HotBuckets}). On close it drains the queue and writes the
     * buckets a last time.
     */
    private void runWriter() {
        List<WriteTask<?>> group = new ArrayList<>(maxGroup);
        while (!closed || !queue.isEmpty()) {
            try {
                WriteTask<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, maxGroup - 1);
                }
                boolean buckets = hotBuckets.due(System.nanoTime());
                if (!group.isEmpty() || buckets) {
                    runGroup(group, buckets); // may gather more writes into the group
                    lastGroupSize = group.size();
                    lastGroupEnded = System.nanoTime();
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                log.error("SQLite writer failed a group of {} writes", group.size(), e);
                lastGroupSize = 0; // no company to count on after a failure
                List<WriteTask<?>> failed = List.copyOf(group);
                committed.add(() -> completeInOrder(failed, i -> new Failure(e)));
            } finally {
                group.clear();
            }
        }
        try {
            runGroup(group, true);
        } catch (RuntimeException e) {
            log.error("SQLite writer could not write the rate-limit buckets on close", e);
        }
    }

    /**
     * Whether the group may gather ({@link Gathering}): every write in it is pipelined, and the
     * writer's last group held company and committed at most a pause before the first of them
     * was queued (after an idle spell nobody else is writing, whatever the last group held).
     */
    private boolean mayGather(List<WriteTask<?>> group) {
        if (group.isEmpty() || group.size() >= maxGroup || lastGroupSize < 2
                || group.getFirst().queuedAt - lastGroupEnded > gathering.gapNanos()) {
            return false;
        }
        for (WriteTask<?> task : group) {
            if (!task.async) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes the writes queued since the last look into a gathering group, after sleeping a slice
     * of its window if none are queued yet: one wake-up a slice rather than one a write (and a
     * sender finds no writer waiting to be signalled). Returns whether the group goes on
     * gathering once the writes it took have run: not once the window (from the first write's
     * queueing) has ended, no write came for the gap, the group is full, or it took a write whose
     * caller waits on it ({@link #write}: that caller is never held).
     */
    private boolean takeMore(List<WriteTask<?>> group, long deadline) {
        long now = System.nanoTime();
        if (group.size() >= maxGroup || now >= deadline) {
            return false; // (what is queued now makes the next group)
        }
        if (queue.isEmpty()) {
            long pauseEnds = lastTaken + gathering.gapNanos();
            if (now >= pauseEnds || Thread.currentThread().isInterrupted()) {
                return false; // (an interrupt would end each slice at once: the group commits, the loop sees it)
            }
            LockSupport.parkNanos(Math.min(GATHER_SLICE_NANOS, Math.min(deadline, pauseEnds) - now));
            gatheringSlept += System.nanoTime() - now;
        }
        int before = group.size();
        queue.drainTo(group, maxGroup - before);
        if (group.size() == before) {
            return true; // nothing yet: the next look decides
        }
        lastTaken = System.nanoTime();
        for (int i = before; i < group.size(); i++) {
            if (!group.get(i).async) {
                return false;
            }
        }
        return group.size() < maxGroup;
    }

    /**
     * One committed group: how many writes it held and how long its transaction took, in
     * nanoseconds: from its begin (the write lock's wait included) through its writes, the search
     * index and the rate-limit buckets to its commit and fsync, but not the time it slept
     * gathering ({@link Gathering}).
     */
    public record GroupCommit(int writes, long nanos) {
    }

    /** Tells {@code observer} of every group commit from now on, on the writer thread (keep it quick). */
    public void observeCommits(Consumer<GroupCommit> observer) {
        this.commits = observer;
    }

    /**
     * One transaction: each write in its own savepoint (a failing write undoes only itself), then
     * the due rate-limit buckets, then one commit (one fsync). A gathering group runs its writes
     * as they come and takes more until its window ends ({@link Gathering}): the writer works
     * while it waits, and adds {@code group}'s new writes to it. Completes every write's caller
     * only after the commit. The transaction statements are plain SQL on prepared statements
     * (the connection stays in auto-commit as JDBC sees it), which costs a fraction of JDBI's and
     * the driver's transaction and savepoint bookkeeping on every write.
     */
    private void runGroup(List<WriteTask<?>> group, boolean withBuckets) {
        long start = System.nanoTime();
        List<Object> results = new ArrayList<>(group.size());
        List<HotBuckets.Written> buckets = List.of();
        // IMMEDIATE: the write lock is taken here, where SQLite waits out the busy timeout. A deferred
        // begin reads first (a send's newest id) and upgrades at the first insert, and an upgrade never
        // waits: it failed with SQLITE_BUSY while a reader held the lock for a moment
        // (docs/decisions/0062-sqlite-busy.md).
        run("begin immediate");
        try {
            boolean gathers = mayGather(group);
            long deadline = gathers ? group.getFirst().queuedAt + gathering.withinNanos() : 0;
            lastTaken = System.nanoTime();
            gatheringSlept = 0;
            int ran = 0;
            while (true) {
                while (ran < group.size()) {
                    results.add(apply(group.get(ran++)));
                }
                if (!gathers) {
                    break;
                }
                gathers = takeMore(group, deadline); // what it took runs in the next pass
            }
            if (!group.isEmpty()) {
                indexNewTexts();
            }
            if (withBuckets) {
                buckets = hotBuckets.flush(writeHandle, System.nanoTime());
            }
            run("commit");
        } catch (RuntimeException | Error e) {
            hotBuckets.notWritten(buckets);
            try {
                run("rollback");
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        hotBuckets.written(buckets, System.nanoTime());
        List<WriteTask<?>> done = List.copyOf(group);
        committed.add(() -> completeInOrder(done, results::get));
        Consumer<GroupCommit> observer = commits;
        if (observer != null && !done.isEmpty()) {
            observer.accept(new GroupCommit(done.size(), System.nanoTime() - start - gatheringSlept));
        }
    }

    /** Runs one write of a group in its own savepoint: its result, or its failure, its changes undone. */
    private Object apply(WriteTask<?> task) {
        run("savepoint w");
        Object result;
        try {
            result = task.work.apply(writeHandle);
        } catch (RuntimeException e) {
            run("rollback to w"); // undoes this write only
            result = new Failure(e);
        }
        run("release w");
        return result;
    }

    /**
     * Wakes the waiting callers of a group (on the acker) and hands the group's asynchronous
     * results to the completion thread, both in the group's order.
     */
    private void completeInOrder(List<WriteTask<?>> group, java.util.function.IntFunction<Object> outcome) {
        List<Runnable> later = null;
        for (int i = 0; i < group.size(); i++) {
            WriteTask<?> task = group.get(i);
            Object o = outcome.apply(i);
            if (task.async) {
                if (later == null) {
                    later = new ArrayList<>(group.size() - i);
                }
                later.add(() -> task.complete(o));
            } else {
                task.complete(o);
            }
        }
        if (later != null) {
            List<Runnable> batch = later;
            completions.add(() -> batch.forEach(Runnable::run));
        }
    }

    /** Completes the asynchronous writes of each committed group, in commit order. */
    private void runCompleter() {
        while (acker.isAlive() || !completions.isEmpty()) {
            try {
                Runnable batch = completions.poll(200, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    batch.run();
                }
            } catch (InterruptedException e) {
                // only close interrupts: finish what is committed
            } catch (RuntimeException | Error e) {
                log.error("a dependent of an asynchronous write failed", e);
            }
        }
    }

    /** Wakes the callers of each committed group, in commit order. */
    private void runAcker() {
        while (writer.isAlive() || !committed.isEmpty()) {
            try {
                Runnable group = committed.poll(200, TimeUnit.MILLISECONDS);
                if (group != null) {
                    group.run();
                }
            } catch (InterruptedException e) {
                // only close interrupts: finish what is committed
            }
        }
    }

    /**
     * Moves the texts the group's writes noted for the search index (V20__search_per_group.sql)
     * into it, outside every write's savepoint: FTS5 writes a new index segment at each savepoint,
     * so texts indexed inside them cost a segment (and its merges) per message; here the group's
     * texts make one segment, written with the commit. In the group's transaction, so a reader
     * sees a message and its index entry together. The delete names a condition so that SQLite
     * deletes row by row and an empty table's page is not rewritten with every commit.
     */
    private void indexNewTexts() {
        run("insert into chats_search (rowid, text) select id, text from chats_search_pending");
        run("delete from chats_search_pending where id is not null");
    }

    /** Runs a transaction statement on the write connection. */
    private void run(String sql) {
        try {
            prepared(sql).execute();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLite writer: " + sql + " failed", e);
        }
    }

    /** The rate-limit buckets of this database, shared by every {@link SqliteRateLimitStore} on it. */
    HotBuckets hotBuckets() {
        return hotBuckets;
    }

    /** What stores of one kind share on this database, one object per type (made on first use). */
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    /**
     * The one {@code type} of this database, made by {@code make} on first use: for what every
     * store of a kind on it must share (a cache that their writes keep true), however many of
     * them are made.
     */
    <T> T shared(Class<T> type, java.util.function.Supplier<T> make) {
        return type.cast(shared.computeIfAbsent(type, t -> make.get()));
    }

    /**
     * The statement for {@code sql} on the write connection, prepared on first use and kept (a
     * fresh prepare costs more than running most of our statements). Only for work running in
     * {@link #write}, on the writer thread; bind every parameter before each use.
     */
    PreparedStatement prepared(String sql) {
        if (Thread.currentThread() != writer) {
            throw new IllegalStateException("only the writer thread uses the write connection");
        }
        return prepared.computeIfAbsent(sql, q -> {
            try {
                return writeHandle.getConnection().prepareStatement(q);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot prepare a statement on the write connection", e);
            }
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.join(10_000);
            acker.join(10_000);
            completer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WriteTask<?> t; (t = queue.poll()) != null; ) {
            t.result.completeExceptionally(new IllegalStateException("database is closed"));
        }
        for (PreparedStatement p : prepared.values()) {
            try {
                p.close();
            } catch (SQLException e) {
                log.warn("could not close a prepared statement", e);
            }
        }
        writeHandle.close();
        readers.close(); // its connections close their statements
        readStatements.clear();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log.warn("could not release the data directory lock", e);
        }
    }

    private record Failure(Throwable error) {
    }

    private static final class WriteTask<T> {
        final Function<Handle, T> work;
        final CompletableFuture<T> result;
        /** From {@link #writeAsync}: completed on the completion thread, not the acker. */
        final boolean async;
        /** {@link System#nanoTime()} when it was queued: where its group's gathering window starts. */
        final long queuedAt = System.nanoTime();

        WriteTask(Function<Handle, T> work, CompletableFuture<T> result, boolean async) {
            this.work = work;
            this.result = result;
            this.async = async;
        }

        @SuppressWarnings("unchecked")
        void complete(Object outcome) {
            if (outcome instanceof Failure f) {
                result.completeExceptionally(f.error());
            } else {
                result.complete((T) outcome);
            }
        }
    }
}
