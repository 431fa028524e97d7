package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {

    @TempDir
    Path tmp;

    @Test
    void dataSurvivesReopeningAndTheDirectoryIsOwnerOnly() {
        Path dir = tmp.resolve("data");
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.write(h -> h.execute("create table notes (body text)"));
            db.write(h -> h.execute("insert into notes values ('kept')"));
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            assertThat(strings(db, "select body from notes"))
                    .containsExactly("kept");
            assertThat(strings(db, "pragma journal_mode")).containsExactly("wal");
        }
        assertThat(PosixFilePermissions.toString(uncheckedPermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedWhileTheFirstKeepsWorking() {
        Path dir = tmp.resolve("data");
        try (SqliteDatabase first = SqliteDatabase.open(dir)) {
            assertThatThrownBy(() -> SqliteDatabase.open(dir))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessageContaining("in use by another ChatApp");
            first.write(h -> h.execute("create table t (x int)"));
            assertThat(count(first, "select count(*) from t")).isZero();
        }
        try (SqliteDatabase again = SqliteDatabase.open(dir)) {
            again.check();
        }
    }

    @Test
    void anUnwritableDirectoryIsAOneLineRefusal() throws Exception {
        // Tests may run as root, who ignores permission bits: a path below a regular file is
        // unusable for everyone.
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> SqliteDatabase.open(file.resolve("data")))
                .isInstanceOf(DataDirectoryException.class)
                .hasMessageStartingWith("data directory ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFailingWriteInAGroupRollsBackOnlyItselfWhileConcurrentWritesCommit() throws Exception {
        Path dir = tmp.resolve("data");
        try (SqliteDatabase db = SqliteDatabase.open(dir);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            db.write(h -> h.execute("create table t (id integer primary key, v text not null)"));
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int id = i;
                results.add(pool.submit(() -> db.write(h -> {
                    h.execute("insert into t (id, v) values (?, ?)", id, "ok");
                    if (id % 10 == 0) {
                        throw new IllegalArgumentException("refused " + id);
                    }
                    return id;
                })));
            }
            int failures = 0;
            for (Future<Object> f : results) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
                    failures++;
                }
            }
            assertThat(failures).isEqualTo(50);
            assertThat(count(db, "select count(*) from t")).isEqualTo(450);
            assertThat(count(db, "select count(*) from t where id % 10 = 0")).isZero();
        }
    }

    /** Wide windows, so that what the tests below arrange cannot fall on either side of them by chance. */
    private static final SqliteDatabase.Gathering WIDE = new SqliteDatabase.Gathering(3_000_000_000L, 600_000_000L);

    @Test
    void pipelinedWritesArrivingOneByOneWhileOthersWriteShareOneCommit() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            company(db);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                writes.add(insertAsync(db, 10 + i));
                Thread.sleep(30); // one by one, as a connection's sends arrive
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            awaitGroups(groups, 3);
            assertThat(groups).as("the blocker, the two behind it, then the five").containsExactly(1, 2, 5);
            assertThat(count(db, "select count(*) from t")).isEqualTo(7);
        }
    }

    @Test
    void aGatheringGroupRunsEachWriteAsItComesAndCommitsThemTogether() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            company(db);
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> first = new CompletableFuture<>();
            db.writeAsync(h -> {
                int n = h.execute("insert into t (id) values (30)");
                ran.countDown();
                return n;
            }, first);
            assertThat(ran.await(300, TimeUnit.MILLISECONDS)).as("the first write ran within the window").isTrue();
            assertThat(first).as("and waits for company, uncommitted").isNotDone();
            CompletableFuture<Integer> second = insertAsync(db, 31);
            CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);
            awaitGroups(groups, 3);
            assertThat(groups).containsExactly(1, 2, 2);
        }
    }

    @Test
    void aCallerWhoseWriteJoinsAGatheringGroupEndsItsGathering() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            company(db);
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Integer> leader = new CompletableFuture<>();
            db.writeAsync(h -> {
                int n = h.execute("insert into t (id) values (40)");
                ran.countDown();
                return n;
            }, leader);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue(); // the leader's group is gathering (a pause is 600 ms)
            committedBeforeTheNextWrite(db, 42, "the waiting caller's write",
                    () -> db.write(h -> h.execute("insert into t (id) values (41)")));
            leader.get(10, TimeUnit.SECONDS);
            awaitGroups(groups, 4);
            assertThat(groups).containsExactly(1, 2, 2, 1);
        }
    }

    @Test
    void aPipelinedWriteAfterAnIdleSpellIsNotHeldWhateverTheLastGroupHeld() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            company(db);
            Thread.sleep(800); // longer than a pause (600 ms): nobody is writing any more
            committedBeforeTheNextWrite(db, 51, "the write after the idle spell",
                    () -> insertAsync(db, 50).get(10, TimeUnit.SECONDS));
            awaitGroups(groups, 4);
            assertThat(groups).containsExactly(1, 2, 1, 1);
        }
    }

    @Test
    void aGatheringGroupCommitsAtAPauseLongBeforeItsWindowEnds() throws Exception {
        var pauseOf200ms = new SqliteDatabase.Gathering(5_000_000_000L, 200_000_000L);
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, pauseOf200ms)) {
            company(db);
            long start = System.nanoTime();
            // held for the pause (200 ms), not for the window (5 s)
            assertThat(insertAsync(db, 60)).succeedsWithin(java.time.Duration.ofSeconds(3));
            assertThat(System.nanoTime() - start).as("it did gather").isGreaterThanOrEqualTo(150_000_000L);
        }
    }

    @Test
    void aGatheringGroupCommitsWhenItsWindowEndsThoughWritesKeepComing() throws Exception {
        var windowOf400ms = new SqliteDatabase.Gathering(400_000_000L, 600_000_000L);
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, windowOf400ms)) {
            List<Integer> groups = observed(db);
            company(db);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 30; i++) { // one every 40 ms for 1.2 s: never a pause
                writes.add(insertAsync(db, 100 + i));
                Thread.sleep(40);
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + 10_000_000_000L;
            while (groups.subList(2, groups.size()).stream().mapToInt(Integer::intValue).sum() < 30
                    && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(groups.subList(2, groups.size())).as("the 30 writes, in groups ended by the window")
                    .hasSizeGreaterThanOrEqualTo(2).anyMatch(n -> n > 1);
        }
    }

    @Test
    void aGatheringGroupCommitsWhenItsWindowEndsThoughTheQueueIsNeverEmpty() throws Exception {
        var windowOf100ms = new SqliteDatabase.Gathering(100_000_000L, 600_000_000L);
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, windowOf100ms)) {
            List<Integer> groups = observed(db);
            company(db);
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < 30; i++) { // one every 10 ms, each taking 30 ms: the queue never empties
                CompletableFuture<Integer> result = new CompletableFuture<>();
                int id = 200 + i;
                db.writeAsync(h -> {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return h.execute("insert into t (id) values (?)", id);
                }, result);
                writes.add(result);
                Thread.sleep(10);
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long until = System.nanoTime() + 10_000_000_000L;
            while (groups.subList(2, groups.size()).stream().mapToInt(Integer::intValue).sum() < 30
                    && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            // The first write's group takes what came while it ran, batch by batch (30 ms a write),
            // until its window has ended: about 1 + 2 + 6. One more batch after the window would
            // have taken what came while those ran (about 18 more).
            assertThat(groups.get(2)).as("the first write's group ended with its 100 ms window: " + groups)
                    .isLessThanOrEqualTo(12);
        }
    }

    @Test
    void aCallerWaitingOnItsWriteIsNotHeldForCompany() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            company(db);
            committedBeforeTheNextWrite(db, 21, "the waiting caller's write",
                    () -> db.write(h -> h.execute("insert into t (id) values (20)")));
            awaitGroups(groups, 4);
            assertThat(groups).containsExactly(1, 2, 1, 1);
        }
    }

    @Test
    void aPipelinedWriteWhenNobodyElseWritesIsNotHeld() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SqliteDatabase.MAX_GROUP, WIDE)) {
            List<Integer> groups = observed(db);
            db.write(h -> h.execute("create table t (id integer primary key)")); // a group of one
            committedBeforeTheNextWrite(db, 2, "the lone write",
                    () -> insertAsync(db, 1).get(10, TimeUnit.SECONDS));
            awaitGroups(groups, 3);
            assertThat(groups).containsExactly(1, 1, 1);
        }
    }

    /**
     * Runs {@code write} (which returns once its write is committed) while a pipelined insert of
     * {@code nextId} is scheduled 300 ms later, and asserts that the write committed before that
     * one was even queued: it was not held for company. Then waits for the later write.
     */
    private static void committedBeforeTheNextWrite(SqliteDatabase db, int nextId, String what,
            java.util.concurrent.Callable<?> write) throws Exception {
        CompletableFuture<Integer> next = new CompletableFuture<>();
        try (var scheduler = Executors.newSingleThreadScheduledExecutor()) {
            scheduler.schedule(() -> db.writeAsync(h -> h.execute("insert into t (id) values (?)", nextId), next),
                    300, TimeUnit.MILLISECONDS);
            write.call();
            assertThat(next).as(what + " committed before the next one came").isNotDone();
            next.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Makes the writer's last group one of two: a first write holds the writer while two more
     * queue behind it, so the groups are 1 and 2.
     */
    private static void company(SqliteDatabase db) throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Integer> blocker = new CompletableFuture<>();
        db.writeAsync(h -> {
            h.execute("create table t (id integer primary key)");
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        }, blocker);
        held.await();
        CompletableFuture<Integer> a = insertAsync(db, 1);
        CompletableFuture<Integer> b = insertAsync(db, 2);
        release.countDown();
        CompletableFuture.allOf(blocker, a, b).get(10, TimeUnit.SECONDS);
    }

    private static CompletableFuture<Integer> insertAsync(SqliteDatabase db, int id) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        db.writeAsync(h -> h.execute("insert into t (id) values (?)", id), result);
        return result;
    }

    /** The sizes of the groups the writer commits from now on. */
    private static List<Integer> observed(SqliteDatabase db) {
        List<Integer> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        db.observeCommits(g -> groups.add(g.writes()));
        return groups;
    }

    /** The observer is told after the group's results are handed on: wait for it. */
    private static void awaitGroups(List<Integer> groups, int n) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (groups.size() < n && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    private static int count(SqliteDatabase db, String sql) {
        Integer n = db.read(h -> h.createQuery(sql).mapTo(Integer.class).one());
        return n;
    }

    private static List<String> strings(SqliteDatabase db, String sql) {
        List<String> rows = db.read(h -> h.createQuery(sql).mapTo(String.class).list());
        return rows;
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
