package chatapp.server.shape;

import chatapp.embedded.EmbeddedShape;
import chatapp.notification.VapidKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one-machine store opened on a thread of its own while Spring builds the rest of the server
 * (docs/decisions/0065-parallel-store-open.md): loading SQLite's native library, taking the data
 * directory's lock and Flyway's migrations take a few hundred milliseconds of the start, and
 * Spring's start runs on one thread while the machine has more cores. {@code serve} starts it
 * before Spring with the settings of its pre-start bind; {@link ShapeConfiguration#shape} takes it
 * when Spring's settings name the same directory, otherwise it is closed and the shape bean opens
 * the store itself, as without it. Nothing changes for a client: readiness still waits for the
 * store, and a failure (a directory another ChatApp holds, one that cannot be written) is
 * raised by the shape bean as before. On a fresh data directory it also makes the Web Push keys
 * ({@link PushKeysConfiguration}) on a thread of its own.
 */
public final class ShapeOpening {

    private final Path dataDir;
    private final boolean groupCommit;
    private final CompletableFuture<EmbeddedShape> shape;
    private final AtomicBoolean claimed = new AtomicBoolean();

    /** The Web Push keys written into the data directory, when serve found none there; else null. */
    private final CompletableFuture<Void> pushKeys;

    private ShapeOpening(Path dataDir, boolean groupCommit, boolean createPushKeys) {
        this.dataDir = dataDir;
        this.groupCommit = groupCommit;
        this.shape = new CompletableFuture<>();
        Path keyDir = dataDir.toAbsolutePath().normalize();
        if (createPushKeys && !Files.exists(keyDir.resolve(VapidKeyPair.FILE))) {
            // A new P-256 key pair took about a seventh of the main thread's start on a fresh data
            // directory (the JDK's elliptic-curve code, not yet compiled): made beside Spring too.
            this.pushKeys = CompletableFuture.runAsync(() -> {
                try {
                    VapidKeyPair.fromDataDir(keyDir);
                } catch (IOException | RuntimeException e) {
                    // the push keys bean reads or makes the file again and reports what fails, as before
                }
            }, runnable -> Thread.ofPlatform().name("push-keys").daemon(true).start(runnable));
        } else {
            this.pushKeys = null;
        }
        Thread.ofPlatform().name("sqlite-open").daemon(true).start(() -> {
            try {
                // the system clock: the shape bean takes this store only when its clock is the same
                shape.complete(EmbeddedShape.open(dataDir, groupCommit, Clock.systemUTC()));
            } catch (Throwable e) {
                shape.completeExceptionally(e);
            }
        });
    }

    /**
     * Starts opening the SQLite store under {@code dataDir} on its own thread; returns at once.
     *
     * @param groupCommit as {@code chatapp.sqlite.group-commit}
     * @param createPushKeys whether the Web Push keys come from the data directory (none
     *     configured): when it has none yet, they are made on another thread meanwhile
     */
    public static ShapeOpening start(Path dataDir, boolean groupCommit, boolean createPushKeys) {
        return new ShapeOpening(dataDir, groupCommit, createPushKeys);
    }

    /**
     * Waits until the Web Push keys this opening makes in {@code dir} are written (at once when it
     * makes none there), so that the caller reads them rather than making a second pair.
     */
    void awaitPushKeys(Path dir) {
        if (pushKeys != null && dataDir.toAbsolutePath().normalize().equals(dir)) {
            pushKeys.join(); // never fails: see the constructor
        }
    }

    /**
     * The store opened here when it was opened with these settings (waiting for it if needed),
     * else null after closing it, so the caller opens its own. Once only.
     *
     * @throws RuntimeException what opening raised (a {@code DataDirectoryException} for the
     *     operator's mistakes), as {@link EmbeddedShape#open} would have
     */
    EmbeddedShape take(Path dataDir, boolean groupCommit, Clock clock) {
        if (!claimed.compareAndSet(false, true)) {
            return null;
        }
        if (this.dataDir.equals(dataDir) && this.groupCommit == groupCommit && Clock.systemUTC().equals(clock)) {
            return opened();
        }
        closeQuietly();
        return null;
    }

    /** Closes the store when the server did not take it (its start failed before); waits for the opening to end. */
    public void closeUnclaimed() {
        if (claimed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private EmbeddedShape opened() {
        try {
            return shape.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void closeQuietly() {
        try {
            shape.join().close();
        } catch (RuntimeException e) {
            // failed to open, or to close: nothing is held either way that the caller could release
        }
    }
}
