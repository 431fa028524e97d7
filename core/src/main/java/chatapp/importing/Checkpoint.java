package chatapp.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An import's progress, in a file, so that a run killed mid-way continues where it stopped: the
 * conversations finished and what they counted and refused. Written after each conversation,
 * atomically (a new file moved over the old), so a kill leaves the previous checkpoint whole.
 * Removed when the import completes: a later run looks at every row again (and, being
 * idempotent, changes only what the prototype's rows now say differently, e.g. a fixed row).
 */
final class Checkpoint {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final Set<String> done = new LinkedHashSet<>();
    private ImportReport tally = new ImportReport();
    private final boolean resumed;

    /**
     * Reads the checkpoint at {@code file}, if there is one.
     *
     * @throws IllegalStateException if the file is there but is not a checkpoint
     */
    Checkpoint(Path file) {
        this.file = file;
        if (file == null || !Files.exists(file)) {
            resumed = false;
            return;
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            node.path("conversationsDone").values().forEach(v -> done.add(v.asString()));
            tally = ImportReport.fromTally(node.get("tally"));
            resumed = true;
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("the checkpoint " + file + " cannot be read (remove it to start over): "
                    + e.getMessage(), e);
        }
    }

    /** Whether a checkpoint was found: this run continues an interrupted one. */
    boolean resumed() {
        return resumed;
    }

    boolean done(String conversationId) {
        return done.contains(conversationId);
    }

    /** What the finished conversations counted and refused so far (this run's included). */
    ImportReport tally() {
        return tally;
    }

    /** Records {@code conversationId} as finished, with the tally as it stands. */
    void finished(String conversationId) {
        done.add(conversationId);
        if (file == null) {
            return;
        }
        ObjectNode node = JSON.createObjectNode();
        var list = node.putArray("conversationsDone");
        done.forEach(list::add);
        node.set("tally", tally.tallyJson());
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path next = Files.createTempFile(parent, ".checkpoint-", ".tmp");
            Files.writeString(next, JSON.writeValueAsString(node));
            try {
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }

    /** The import completed: no checkpoint is left. */
    void clear() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoint " + file, e);
        }
    }
}
