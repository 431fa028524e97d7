package chatapp.server.backup;

import chatapp.notification.VapidKeyPair;
import chatapp.server.OperatorError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A consistent copy of the one-machine data directory, taken while the server keeps serving
 * (docs/operations.md, "Backup"): the database through SQLite's {@code VACUUM INTO} (one read
 * transaction: a snapshot of everything committed when it began, the writer carries on), the
 * photos and videos that snapshot references, the signing key and the Web Push (VAPID) keys, and a
 * SHA-256 manifest.
 *
 * <p>Layout of the destination: one directory per backup, {@code backup-<UTC time>}, and the
 * symbolic link {@code latest} naming the newest. A backup is written under
 * {@code .partial-<time>} and renamed when whole, then {@code latest} is swapped by one rename,
 * so a backup killed half-way leaves the previous ones valid (the next run deletes the partial
 * directory). Media are incremental: a file whose checksum equals the one in the previous
 * backup's manifest is hard-linked from there instead of copied (media files never change once
 * written, so a link costs no space).
 */
public final class Backup {

    /** The database file under the data directory (embedded's {@code SqliteDatabase}). */
    static final String DATABASE = "chatapp.db";
    /** The generated signing key under the data directory (server's {@code SigningKeys}). */
    static final String SIGNING_KEY = "signing-key";

    /**
     * The generated secrets under the data directory, copied and restored owner-only: the
     * signing key, and the Web Push key pair (VAPID, {@link VapidKeyPair#FILE}) without which
     * every push subscription of the restored server stops working (docs/notifications.md).
     */
    static final List<String> SECRETS = List.of(SIGNING_KEY, VapidKeyPair.FILE);
    static final String MEDIA = "media";
    static final String LATEST = "latest";
    static final String PREFIX = "backup-";
    private static final String PARTIAL = ".partial-";
    /** A media key as the disk adapter writes it: {@code <mediaId>/<variant>}. */
    private static final Pattern MEDIA_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}/(original|thumbnail)");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final Path dest;
    private final Clock clock;

    /**
     * @param dataDir the server's data directory ({@code CHATAPP_DATA_DIR})
     * @param dest where backups go (created if missing, owner-only: it holds the signing key)
     */
    public Backup(Path dataDir, Path dest, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.dest = dest.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** What one backup did. */
    public record Result(Path backup, long databaseBytes, int mediaCopied, int mediaLinked, List<String> mediaMissing,
            int deleted) {
    }

    /**
     * Takes one backup, then keeps the newest {@code keep} backups in the destination.
     *
     * @param keep how many backups to keep, at least 1
     * @param out where each step is reported (file names and counts; never a media file's
     *     original name, which ChatApp does not store on disk anyway)
     * @throws OperatorError if there is no database, the destination cannot be written, or
     *     another backup into it is running
     */
    public Result run(int keep, PrintStream out) {
        if (keep < 1) {
            throw new OperatorError("backup: --keep must be at least 1");
        }
        Path database = dataDir.resolve(DATABASE);
        if (!Files.isRegularFile(database)) {
            throw new OperatorError("backup: no database at " + database + " (set CHATAPP_DATA_DIR)");
        }
        try {
            Files.createDirectories(dest);
            ownerOnly(dest);
            try (FileChannel channel = FileChannel.open(dest.resolve(".backup.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = tryLock(channel)) {
                if (lock == null) {
                    throw new OperatorError("backup: another backup into " + dest + " is running");
                }
                return locked(database, keep, out);
            }
        } catch (SQLException e) {
            throw new OperatorError("backup: the database could not be copied: " + e.getMessage());
        } catch (FileSystemException e) {
            throw new OperatorError("backup: " + e.getMessage());
        } catch (IOException e) {
            throw new OperatorError("backup: " + e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private Result locked(Path database, int keep, PrintStream out) throws IOException, SQLException {
        deletePartials();
        String name = NAME.format(clock.instant());
        Path partial = dest.resolve(PARTIAL + name);
        Files.createDirectory(partial);
        ownerOnly(partial);

        Path previous = latest(dest);
        Manifest before = previous == null ? new Manifest(Map.of()) : Manifest.readOrEmpty(previous);
        Map<String, String> sums = new LinkedHashMap<>();

        Path copy = partial.resolve(DATABASE);
        snapshot(database, copy);
        force(copy);
        sums.put(DATABASE, Manifest.sha256(copy));
        long databaseBytes = Files.size(copy);
        out.println("database " + DATABASE + ": " + databaseBytes + " bytes");

        for (String secret : SECRETS) {
            Path key = dataDir.resolve(secret);
            if (Files.isRegularFile(key)) {
                Path target = partial.resolve(secret);
                Files.copy(key, target, StandardCopyOption.COPY_ATTRIBUTES);
                Restore.ownerOnlyFile(target);
                force(target);
                sums.put(secret, Manifest.sha256(target));
                out.println((secret.equals(SIGNING_KEY) ? "signing key " : "push keys ") + secret);
            }
        }

        int copied = 0;
        int linked = 0;
        List<String> missing = new ArrayList<>();
        for (String mediaKey : mediaKeys(copy)) {
            Path source = dataDir.resolve(MEDIA).resolve(mediaKey);
            String relative = MEDIA + "/" + mediaKey;
            if (!Files.isRegularFile(source)) {
                // deleted since the snapshot (an upload never sent, swept), or lost before it
                missing.add(relative);
                continue;
            }
            String sum = Manifest.sha256(source);
            Path target = partial.resolve(relative);
            Files.createDirectories(target.getParent());
            Path earlier = previous == null ? null : previous.resolve(relative);
            if (sum.equals(before.sum(relative)) && Files.isRegularFile(earlier)
                    && Files.size(earlier) == Files.size(source) && link(target, earlier)) {
                linked++;
            } else {
                Files.copy(source, target);
                force(target);
                copied++;
            }
            sums.put(relative, sum);
        }
        out.println("media: " + copied + " copied, " + linked + " unchanged (linked from the previous backup)"
                + (missing.isEmpty() ? "" : ", " + missing.size() + " referenced but not on disk: " + missing));

        new Manifest(sums).write(partial);
        force(partial.resolve(Manifest.FILE));
        out.println("manifest " + Manifest.FILE + ": " + sums.size() + " files (SHA-256)");

        Path done = dest.resolve(PREFIX + name);
        move(partial, done);
        Path link = dest.resolve(".latest-" + name);
        Files.createSymbolicLink(link, done.getFileName());
        move(link, dest.resolve(LATEST));
        forceDirectory(dest);
        int deleted = prune(keep);
        out.println("backup " + done + (deleted > 0 ? " (deleted " + deleted + " older)" : ""));
        return new Result(done, databaseBytes, copied, linked, missing, deleted);
    }

    /** {@code VACUUM INTO}: one read transaction, so the copy is one committed state; writers go on. */
    private static void snapshot(Path database, Path copy) throws SQLException {
        Properties config = new Properties();
        config.setProperty("busy_timeout", "30000");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database, config);
                PreparedStatement vacuum = connection.prepareStatement("vacuum into ?")) {
            vacuum.setString(1, copy.toString());
            vacuum.execute();
        }
    }

    private static List<String> mediaKeys(Path snapshot) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + snapshot);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select original_key, thumbnail_key from media order by media_id")) {
            while (rows.next()) {
                for (String key : new String[] {rows.getString(1), rows.getString(2)}) {
                    if (key != null && MEDIA_KEY.matcher(key).matches()) {
                        keys.add(key);
                    }
                }
            }
        }
        return keys;
    }

    /** The backup {@code latest} names in {@code dest}, or null if there is none. */
    static Path latest(Path dest) throws IOException {
        Path link = dest.resolve(LATEST);
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        Path target = dest.resolve(Files.readSymbolicLink(link)).normalize();
        return Files.isDirectory(target) ? target : null;
    }

    private void deletePartials() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dest, ".{partial,latest}-*")) {
            for (Path entry : entries) {
                deleteTree(entry);
            }
        }
    }

    private int prune(int keep) throws IOException {
        List<Path> backups = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dest, PREFIX + "*")) {
            entries.forEach(backups::add);
        }
        backups.sort(Comparator.comparing(Path::getFileName).reversed());
        Path newest = latest(dest);
        int deleted = 0;
        for (Path old : backups.subList(Math.min(keep, backups.size()), backups.size())) {
            if (!old.equals(newest)) {
                deleteTree(old);
                deleted++;
            }
        }
        return deleted;
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(root);
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean link(Path target, Path existing) {
        try {
            Files.createLink(target, existing);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // a file system without hard links: the caller copies
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the destination's file system cannot rename atomically: " + to, e);
        }
    }

    static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every platform can sync a directory; the renames are still atomic
        }
    }

    static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }
}
