package chatapp.embedded.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.ChatAppException;
import chatapp.media.MediaFiles;
import chatapp.media.MediaFilesContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MediaFilesContract} on the disk adapter. A "fetch" here is what the server's download
 * endpoint does with a URL ({@link DiskMediaFiles#open}); the server's tests fetch the same URLs
 * over HTTP, with Range.
 */
class DiskMediaFilesTest extends MediaFilesContract {

    private DiskMediaFiles files;
    private Path root;

    @BeforeEach
    void setUp() {
        root = tmp.resolve("media");
        files = new DiskMediaFiles(root, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
                Clock.systemUTC());
    }

    @Override
    protected MediaFiles files() {
        return files;
    }

    @Override
    protected Fetched fetch(URI url) {
        assertThat(url.getPath()).startsWith(DiskMediaFiles.PATH);
        String key = url.getPath().substring(DiskMediaFiles.PATH.length());
        Map<String, String> q = new HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        try {
            DiskMediaFiles.Download d = files.open(key, q.get("type"), q.get("name"), Long.parseLong(q.get("expires")),
                    q.get("signature"));
            return new Fetched(200, d.contentType(), d.contentDisposition(), Files.readAllBytes(d.file()));
        } catch (ChatAppException e) {
            return new Fetched(e.code().status(), null, null, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aUrlSignedWithAnotherKeyIsRefused() throws IOException {
        String key = key();
        files.put(key, file(new byte[] {1}), "image/png");
        DiskMediaFiles other = new DiskMediaFiles(root,
                "another-key-another-key-another-key!".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        assertThat(fetch(other.url(key, "image/png", "p.png", Duration.ofMinutes(1))).status()).isEqualTo(403);
    }

    @Test
    void filesAreUnderTheMediaDirectoryAndOnlyTheOwnerCanReadThem() throws IOException {
        String key = key();
        files.put(key, file(new byte[] {1, 2}), "image/png");
        Path stored = root.resolve(key);
        assertThat(stored).hasBinaryContent(new byte[] {1, 2});
        assertThat(Files.getPosixFilePermissions(stored)).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        files.delete(key);
        assertThat(stored.getParent()).doesNotExist();
    }

    @Test
    void aLinkNeverOutlivesItsValidity() throws IOException {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(100_900);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        files = new DiskMediaFiles(root, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), clock);
        String key = key();
        files.put(key, file(new byte[] {1}), "image/png");
        URI url = files.url(key, "image/png", "p.png", Duration.ofSeconds(3));
        now.set(102_999);
        assertThat(fetch(url).status()).isEqualTo(200);
        now.set(103_000); // 2.1 s after it was made, not more than 3 s
        assertThat(fetch(url).status()).isEqualTo(403);
    }

    @Test
    void aKeyThatLeavesTheMediaDirectoryIsRefused() {
        assertThat(fetch(URI.create(DiskMediaFiles.PATH + "../../chatapp.db?type=a&name=b&expires=9999999999&signature=x"))
                .status()).isEqualTo(403);
    }
}
