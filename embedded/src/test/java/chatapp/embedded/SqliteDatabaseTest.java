package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
