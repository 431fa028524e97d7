package chatapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules every {@link MediaFiles} adapter keeps (disk and S3 run this class): what was put
 * comes back byte for byte with its type through a signed URL; the URL stops working when it
 * expires, when it is altered, or when the file is deleted.
 */
public abstract class MediaFilesContract {

    @TempDir
    protected Path tmp;

    /** The adapter under test. */
    protected abstract MediaFiles files();

    /** What a client that follows {@code url} gets. */
    public record Fetched(int status, String contentType, String contentDisposition, byte[] body) {
    }

    /** GETs {@code url} as a browser would after the 302 (no other credentials). */
    protected abstract Fetched fetch(URI url);

    protected Path file(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(tmp, "file", ".bin"), bytes);
    }

    protected static String key() {
        return Ids.random() + "/original";
    }

    @Test
    void whatWasPutIsServedByteForByteWithItsTypeAndName() throws IOException {
        byte[] jpeg = TestImages.jpeg(64, 48);
        String key = key();
        files().put(key, file(jpeg), "image/jpeg");
        Fetched f = fetch(files().url(key, "image/jpeg", "photo.jpg", Duration.ofMinutes(5)));
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.body()).isEqualTo(jpeg);
        assertThat(f.contentType()).isEqualTo("image/jpeg");
        assertThat(f.contentDisposition()).isEqualTo("inline; filename=\"photo.jpg\"");
    }

    @Test
    void whatWasPutOpensAsAStreamUntilItIsDeleted() throws IOException {
        byte[] bytes = TestImages.jpeg(32, 32);
        String key = key();
        files().put(key, file(bytes), "image/jpeg");
        try (java.io.InputStream in = files().open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        files().delete(key);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> files().open(key).close())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        String key = key();
        files().put(key, file(new byte[] {1, 2, 3}), "video/mp4");
        URI url = files().url(key, "video/mp4", "v.mp4", Duration.ofSeconds(1));
        Thread.sleep(2_100);
        Fetched f = fetch(url);
        assertThat(f.status()).isEqualTo(403);
        assertThat(f.body()).isNotEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void anAlteredUrlIsRefused() throws IOException {
        String key = key();
        files().put(key, file(new byte[] {1, 2, 3}), "image/png");
        String url = files().url(key, "image/png", "p.png", Duration.ofMinutes(5)).toString();
        char last = url.charAt(url.length() - 1);
        assertThat(fetch(URI.create(url.substring(0, url.length() - 1) + (last == 'a' ? 'b' : 'a'))).status())
                .isEqualTo(403);
        assertThat(fetch(URI.create(url.replace("image%2Fpng", "text%2Fhtml").replace("image/png", "text/html")))
                .status()).isEqualTo(403);
    }

    @Test
    void aUrlForOneFileDoesNotOpenAnother() throws IOException {
        String mine = key();
        String theirs = key();
        files().put(mine, file(new byte[] {1}), "image/png");
        files().put(theirs, file(new byte[] {2}), "image/png");
        String url = files().url(mine, "image/png", "p.png", Duration.ofMinutes(5)).toString();
        Fetched f = fetch(URI.create(url.replace(mine.substring(0, mine.indexOf('/')), theirs.substring(0, theirs.indexOf('/')))));
        assertThat(f.status()).isEqualTo(403);
    }

    @Test
    void aDeletedFileIsGoneAndDeletingTwiceIsHarmless() throws IOException {
        String key = key();
        files().put(key, file(new byte[] {7, 7}), "image/gif");
        URI url = files().url(key, "image/gif", "g.gif", Duration.ofMinutes(5));
        files().delete(key);
        files().delete(key);
        files().delete(key());
        assertThat(fetch(url).status()).isEqualTo(404);
    }
}
