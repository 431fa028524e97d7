package chatapp.server.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checksum manifest of one backup: {@value #FILE}, one line per file, {@code <sha256 hex>
 * <relative path>}, the format of {@code sha256sum}, so {@code sha256sum -c MANIFEST.sha256}
 * checks a backup without ChatApp.
 */
final class Manifest {

    static final String FILE = "MANIFEST.sha256";

    private final Map<String, String> sums;

    Manifest(Map<String, String> sums) {
        this.sums = sums;
    }

    /** The manifest in {@code backup}, or an empty one if there is none. */
    static Manifest readOrEmpty(Path backup) throws IOException {
        try {
            return read(backup);
        } catch (NoSuchFileException e) {
            return new Manifest(new LinkedHashMap<>());
        }
    }

    /**
     * @throws NoSuchFileException if {@code backup} has no manifest
     * @throws IOException if a line is not {@code <64 hex> <path>}
     */
    static Manifest read(Path backup) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(backup.resolve(FILE), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf("  ");
            if (space != 64 || !line.substring(0, 64).matches("[0-9a-f]{64}")) {
                throw new IOException(FILE + ": not a checksum line: " + line);
            }
            sums.put(line.substring(66), line.substring(0, 64));
        }
        return new Manifest(sums);
    }

    String sum(String path) {
        return sums.get(path);
    }

    Map<String, String> entries() {
        return sums;
    }

    void write(Path backup) throws IOException {
        StringBuilder text = new StringBuilder();
        sums.forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
        Files.writeString(backup.resolve(FILE), text, StandardCharsets.UTF_8);
    }

    /**
     * The files in {@code backup} whose checksum differs from the manifest, or that are missing;
     * empty when the backup is whole.
     */
    List<String> damaged(Path backup) throws IOException {
        List<String> damaged = new ArrayList<>();
        for (Map.Entry<String, String> e : sums.entrySet()) {
            Path file = backup.resolve(e.getKey()).normalize();
            if (!file.startsWith(backup) || !Files.isRegularFile(file) || !sha256(file).equals(e.getValue())) {
                damaged.add(e.getKey());
            }
        }
        return damaged;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
