package chatapp.media;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Port: where the bytes of photos, videos and thumbnails live, private, reachable only through
 * short-lived signed URLs. Two adapters: files under the data directory with URLs the server
 * signs (HMAC), and a private S3 bucket with presigned URLs. Both proven by
 * {@code MediaFilesContract}. I/O failures surface as {@link java.io.UncheckedIOException} or the
 * adapter's own runtime exception (a 5xx: storage is down).
 */
public interface MediaFiles {

    /**
     * Where the server serves the disk adapter's signed URLs, relative to its own origin
     * (docs/media.md); S3's presigned URLs point at the bucket instead.
     */
    String SIGNED_PATH = "/api/v1/media/files/";

    /** Stores the bytes of {@code file} under {@code key} (keys are new; never overwritten). */
    void put(String key, Path file, String contentType);

    /**
     * The bytes of {@code key}, streamed (the caller closes the stream): for the data export,
     * which copies them into its archive without holding them in memory.
     *
     * @throws java.util.NoSuchElementException if there is nothing under {@code key}
     */
    java.io.InputStream open(String key);

    /** Removes {@code key}; nothing happens if it is absent. */
    void delete(String key);

    /**
     * A URL that lets whoever holds it GET the bytes of {@code key} until {@code validFor} has
     * passed, and not after; the answer carries {@code Content-Type: contentType} and
     * {@code Content-Disposition: inline; filename="fileName"}, and supports {@code Range}.
     * May be relative to the server (the disk adapter's are).
     */
    URI url(String key, String contentType, String fileName, Duration validFor);
}
