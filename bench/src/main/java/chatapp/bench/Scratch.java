package chatapp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder of one run (a started server's data directory, a store's file), removed
 * with everything in it when the run ends: by {@link #close()}, or at the latest when the JVM
 * exits (Ctrl-C included).
 */
final class Scratch implements AutoCloseable {

    private final Path path;
    private final Thread onExit;

    private Scratch(Path path) {
        this.path = path;
        this.onExit = new Thread(this::delete, "remove " + path.getFileName());
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * A new folder in the system's temp directory, its name starting with {@code prefix}.
     *
     * @throws UncheckedIOException if it cannot be created
     */
    static Scratch create(String prefix) {
        try {
            return new Scratch(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    /** Removes the folder and what is in it (best effort: a file still open may stay). */
    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // already exiting: the hook runs anyway
        }
    }

    private void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort; the temp directory is the system's to clean
        }
    }
}
