package chatapp.server.backup;

import chatapp.server.OperatorError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts a {@link Backup} back into an empty data directory (docs/operations.md, "Restore"):
 * checks every file against the manifest first, copies nothing if one differs, and refuses a
 * data directory that holds anything (it never overwrites a live database).
 */
public final class Restore {

    private Restore() {
    }

    /**
     * @param source a backup directory ({@code backup-<time>}) or a backup destination, whose
     *     {@code latest} is then restored
     * @param dataDir the data directory to fill: missing or empty
     * @throws OperatorError if the data directory is not empty, the source is not a backup, or a
     *     file is missing or differs from the manifest (naming them)
     */
    public static void run(Path source, Path dataDir, PrintStream out) {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Path backup = source.toAbsolutePath().normalize();
            if (!Files.isRegularFile(backup.resolve(Manifest.FILE))) {
                Path latest = Backup.latest(backup);
                if (latest == null) {
                    throw new OperatorError("restore: " + backup + " is not a backup (no " + Manifest.FILE
                            + ", no " + Backup.LATEST + " link)");
                }
                backup = latest;
            }
            if (Files.exists(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new OperatorError("restore: the data directory " + dir
                                + " is not empty; restore only into an empty or new directory");
                    }
                }
            }
            Manifest manifest = Manifest.read(backup);
            if (!manifest.entries().containsKey(Backup.DATABASE)) {
                throw new OperatorError("restore: " + backup + " has no " + Backup.DATABASE + " in its manifest");
            }
            List<String> damaged = manifest.damaged(backup);
            if (!damaged.isEmpty()) {
                throw new OperatorError("restore: " + damaged.size() + " file(s) of " + backup
                        + " are missing or differ from " + Manifest.FILE + ": " + damaged);
            }
            out.println("verified " + manifest.entries().size() + " files of " + backup + " against " + Manifest.FILE);
            Files.createDirectories(dir);
            Backup.ownerOnly(dir);
            for (Map.Entry<String, String> entry : manifest.entries().entrySet()) {
                Path target = dir.resolve(entry.getKey()).normalize();
                Files.createDirectories(target.getParent());
                Files.copy(backup.resolve(entry.getKey()), target, StandardCopyOption.COPY_ATTRIBUTES);
                if (Backup.SECRETS.contains(entry.getKey())) {
                    ownerOnlyFile(target);
                }
                Backup.force(target);
            }
            out.println("restored " + manifest.entries().size() + " files into " + dir
                    + "; start the server with CHATAPP_DATA_DIR=" + dir);
        } catch (NoSuchFileException e) {
            throw new OperatorError("restore: not found: " + e.getFile());
        } catch (IOException e) {
            throw new OperatorError("restore: " + e);
        }
    }

    static void ownerOnlyFile(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
