package chatapp.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret kept in the data directory (the token signing key, the Web Push key pair): made once,
 * readable by its owner only ({@code rw-------}), and never replaced. When two processes make it
 * at the same moment, the first file written wins and both read that one.
 */
public final class KeyFile {

    private KeyFile() {
    }

    /**
     * The text of {@code file}, first writing {@code fresh}'s text into it (ASCII, owner-only)
     * when it does not exist yet.
     *
     * @throws IOException if the directory or the file cannot be created or read
     */
    public static String readOrCreate(Path file, Supplier<String> fresh) throws IOException {
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, fresh.get(), StandardCharsets.US_ASCII);
                // A hard link fails when the name exists; a rename (even ATOMIC_MOVE) would
                // silently replace a key another process already wrote and read.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // another process wrote it first: theirs is the key
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }
}
