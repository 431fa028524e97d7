package chatapp.aws.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.media.MediaFiles;
import chatapp.media.MediaFilesContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link MediaFilesContract} on S3, against S3Proxy in this JVM, over real HTTP. */
class S3MediaFilesTest extends MediaFilesContract {

    @RegisterExtension
    static final S3ProxyFixture s3proxy = new S3ProxyFixture();

    private static S3Client s3;
    private static S3Presigner presigner;
    private static S3MediaFiles files;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void connect() {
        s3 = s3proxy.settings().client();
        presigner = s3proxy.settings().presigner();
        // multipart from 6 MiB, in 5 MiB parts, so a test file of 11 MiB goes in three parts
        files = new S3MediaFiles(s3, presigner, s3proxy.settings().bucket(), 6L << 20, 5L << 20);
    }

    @AfterAll
    static void close() {
        s3.close();
        presigner.close();
    }

    @Override
    protected MediaFiles files() {
        return files;
    }

    @Override
    protected Fetched fetch(URI url) {
        HttpResponse<byte[]> r = get(url, null);
        return new Fetched(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                r.headers().firstValue("Content-Disposition").orElse(null), r.body());
    }

    private HttpResponse<byte[]> get(URI url, String range) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (range != null) {
            b.header("Range", range);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLargeVideoGoesUpInPartsEncryptedAndComesBackWholeAndInRanges() throws IOException {
        byte[] video = new byte[11 << 20];
        new Random(7).nextBytes(video);
        String key = key();
        files.put(key, file(video), "video/mp4");

        var head = s3.headObject(b -> b.bucket(s3proxy.settings().bucket()).key(key));
        assertThat(head.eTag()).as("a multipart ETag ends with -<parts>").endsWith("-3\"");
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

        URI url = files.url(key, "video/mp4", "v.mp4", Duration.ofMinutes(5));
        assertThat(fetch(url).body()).isEqualTo(video);
        HttpResponse<byte[]> part = get(url, "bytes=6000000-6000099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 6_000_000, 6_000_100));
    }

    @Test
    void aSmallPhotoIsStoredEncryptedInOneRequest() throws IOException {
        String key = key();
        files.put(key, file(new byte[] {1, 2, 3}), "image/png");
        var head = s3.headObject(b -> b.bucket(s3proxy.settings().bucket()).key(key));
        assertThat(head.eTag()).doesNotContain("-");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }

    @Test
    void theBucketIsPrivateWithoutASignature() throws IOException {
        String key = key();
        files.put(key, file(new byte[] {1, 2, 3}), "image/png");
        URI unsigned = URI.create(s3proxy.settings().endpoint() + "/" + s3proxy.settings().bucket() + "/" + key);
        assertThat(get(unsigned, null).statusCode()).isEqualTo(403);
    }
}
