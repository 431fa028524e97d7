package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Receives an upload into a temporary file (owner-only) without ever holding it whole in memory:
 * the first {@value FormatDetector#HEAD_BYTES} bytes decide the format and so the limit, the rest
 * is copied in 64 KiB steps, and reading stops as soon as the limit is passed. A refused upload
 * leaves no file behind.
 */
final class Spool {

    private Spool() {
    }

    /** A received upload: its temporary file (the caller deletes it), format and size. */
    record Received(Path file, MediaFormat format, long size) {
    }

    /**
     * @throws ChatAppException 400 if empty or if reading the body fails (the client hung up), 415 if not an accepted format, 413 {@code too_large}
     *     once more bytes arrive than the format's limit
     */
    static Received receive(InputStream body, Path dir, MediaLimits limits) {
        try {
            byte[] head = readHead(body);
            if (head.length == 0) {
                throw ChatAppException.invalid("file", "is empty");
            }
            MediaFormat format = FormatDetector.detect(head);
            long max = limits.maxBytes(format);
            if (head.length > max) {
                throw tooLarge(format, max);
            }
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "upload-", ".part");
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head);
                long total = head.length;
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = read(body, buffer)) > 0; ) {
                    total += n;
                    if (total > max) {
                        throw tooLarge(format, max);
                    }
                    out.write(buffer, 0, n);
                }
                return new Received(file, format, total);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not receive the upload", e);
        }
    }

    private static byte[] readHead(InputStream body) {
        try {
            return body.readNBytes(FormatDetector.HEAD_BYTES);
        } catch (IOException e) {
            throw brokenOff();
        }
    }

    /** A failure to read the body is the client's (it hung up, or sent a broken body): a 400. */
    private static int read(InputStream body, byte[] buffer) {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw brokenOff();
        }
    }

    private static ChatAppException brokenOff() {
        return new ChatAppException(ErrorCode.BAD_REQUEST, "the upload broke off before its end");
    }

    static ChatAppException tooLarge(MediaFormat format, long max) {
        return new ChatAppException(ErrorCode.TOO_LARGE, (format.isImage() ? "photos" : "videos")
                + " may be at most " + describeBytes(max));
    }

    static String describeBytes(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
