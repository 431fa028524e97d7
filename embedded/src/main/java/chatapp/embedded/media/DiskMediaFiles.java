package chatapp.embedded.media;

import chatapp.core.ChatAppException;
import chatapp.media.MediaFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link MediaFiles} as files under the data directory ({@code media/<mediaId>/<variant>},
 * owner-only like the rest of it), handed out through URLs that the server signs: the path
 * {@value #PATH}{@code <key>} with {@code type}, {@code name}, {@code expires} (epoch seconds)
 * and {@code signature}, an HMAC-SHA256 (RFC 2104) over all four. The server's download
 * endpoint calls {@link #open} and serves the file.
 */
public final class DiskMediaFiles implements MediaFiles {

    /** Where the server serves these URLs; relative to the server's own origin. */
    public static final String PATH = MediaFiles.SIGNED_PATH;

    /** Keys are ours: an id and a variant, nothing a client could turn into a path elsewhere. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}/(original|thumbnail|archive|avatar|avatar-thumbnail)");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Path root;
    private final SecretKeySpec key;
    private final Clock clock;

    /**
     * @param root the media directory (created if missing)
     * @param secret at least 32 bytes, kept server-side; URLs signed with another key fail
     */
    public DiskMediaFiles(Path root, byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the media URL key needs at least 32 bytes");
        }
        this.root = root;
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = clock;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the media directory " + root, e);
        }
    }

    /** A file to serve: where it is and the headers the signed URL fixed. */
    public record Download(Path file, String contentType, String contentDisposition) {
    }

    @Override
    public void put(String key, Path file, String contentType) {
        Path target = path(key);
        try {
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), "put-", ".tmp");
            try {
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, target);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store media " + key, e);
        }
    }

    @Override
    public java.io.InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.util.NoSuchElementException("no media under " + key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path target = path(key);
        try {
            Files.deleteIfExists(target);
            try (var left = Files.list(target.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(target.getParent());
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // never stored, or already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete media " + key, e);
        }
    }

    @Override
    public URI url(String key, String contentType, String fileName, Duration validFor) {
        path(key);
        long expires = clock.instant().plus(validFor).getEpochSecond();
        return URI.create(PATH + key + "?type=" + encode(contentType) + "&name=" + encode(fileName)
                + "&expires=" + expires + "&signature=" + signature(key, contentType, fileName, expires));
    }

    /**
     * Checks a signed URL's parts and finds its file.
     *
     * @throws ChatAppException 403 {@code forbidden} if the signature does not match or the URL
     *     has expired; 404 if the file is gone
     */
    public Download open(String key, String contentType, String fileName, long expires, String signature) {
        if (key == null || !KEY.matcher(key).matches() || contentType == null || fileName == null || signature == null
                || !MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                        signature(key, contentType, fileName, expires).getBytes(StandardCharsets.US_ASCII))) {
            throw ChatAppException.forbidden("this link is not valid");
        }
        if (clock.millis() >= expires * 1000) { // expires is rounded down: a link never outlives validFor
            throw ChatAppException.forbidden("this link has expired; ask for a new one");
        }
        Path file = path(key);
        if (!Files.isRegularFile(file)) {
            throw ChatAppException.notFound("no such media");
        }
        return new Download(file, contentType, "inline; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
    }

    private Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a media key: " + key);
        }
        return root.resolve(key);
    }

    private String signature(String key, String contentType, String fileName, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(this.key);
            String signed = key + '\n' + contentType + '\n' + fileName + '\n' + expires;
            return B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
