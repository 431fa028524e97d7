package chatapp.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /media} and {@code GET /media/{id}} on the one-machine shape (SQLite, files on disk),
 * over real HTTP: uploads checked by their bytes, limits, what is stripped, who gets a link, and
 * the signed download URL (expiry, forgery, Range). Limits are small here (1 MB photos, 2 MB
 * videos) so that refusing oversize uploads is quick; links last 3 s so that expiry is testable.
 */
class MediaEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer("--chatapp.upload.image-max-size=1MB",
            "--chatapp.upload.video-max-size=2MB", "--chatapp.upload.url-validity=3s");

    static Session parent;
    static Session stranger;

    @BeforeAll
    static void accounts() {
        parent = TestAccounts.register(server, UserType.PARENT);
        stranger = TestAccounts.register(server, UserType.THERAPIST);
    }

    @Test
    void aJpegWithGpsComesBackWithoutItUprightWithAThumbnail() {
        HttpResponse<String> r = Uploads.multipart(server, parent.accessToken(), "file", "IMG_0001.JPG", "image/jpeg",
                TestImages.jpegWithGps(640, 480, 6));
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode m = Uploads.json(r);
        String id = m.get("mediaId").asString();
        assertThat(r.headers().firstValue("Location")).contains("/api/v1/media/" + id);
        assertThat(m.get("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(m.get("width").asInt()).isEqualTo(480);
        assertThat(m.get("height").asInt()).isEqualTo(640);
        assertThat(m.has("durationMs")).isFalse();

        HttpResponse<String> link = Uploads.link(server, parent.accessToken(), id, null);
        assertThat(link.statusCode()).isEqualTo(302);
        assertThat(link.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        HttpResponse<byte[]> original = Uploads.follow(server, link, null);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(original.headers().firstValue("Content-Disposition")).contains("inline; filename=\"" + id + ".jpg\"");
        assertThat(original.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(original.body().length).isEqualTo(m.get("size").asInt());
        assertThat(TestImages.metadataLeft(original.body())).isEmpty();
        assertThat(TestImages.decode(original.body()).getHeight()).isEqualTo(640);

        HttpResponse<byte[]> thumbnail = Uploads.follow(server, Uploads.link(server, parent.accessToken(), id, "thumbnail"), null);
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(TestImages.metadataLeft(thumbnail.body())).isEmpty();
        assertThat(TestImages.decode(thumbnail.body()).getHeight()).isEqualTo(320);
    }

    @Test
    void aCmykJpegWithoutAnIccProfileIsReadReEncodedAndThumbnailed() {
        byte[] cmyk = TestImages.cmykJpeg(640, 400);
        HttpResponse<String> r = Uploads.multipart(server, parent.accessToken(), "file", "print.jpg", "image/jpeg", cmyk);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode m = Uploads.json(r);
        assertThat(m.get("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(m.get("width").asInt()).isEqualTo(640);
        assertThat(m.get("height").asInt()).isEqualTo(400);
        String id = m.get("mediaId").asString();

        HttpResponse<byte[]> original = Uploads.follow(server, Uploads.link(server, parent.accessToken(), id, null), null);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body()).as("re-encoded, not stored as sent").isNotEqualTo(cmyk);
        java.awt.image.BufferedImage decoded = TestImages.decode(original.body());
        assertThat(decoded.getWidth()).isEqualTo(640);
        assertThat(decoded.getColorModel().getNumColorComponents()).as("RGB now").isEqualTo(3);

        HttpResponse<byte[]> thumbnail = Uploads.follow(server, Uploads.link(server, parent.accessToken(), id, "thumbnail"), null);
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        java.awt.image.BufferedImage thumb = TestImages.decode(thumbnail.body());
        assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isLessThan(640);
    }

    @Test
    void aRawBodyIsTypedByItsBytesNotItsContentType() {
        HttpResponse<String> r = Uploads.raw(server, parent.accessToken(), "application/octet-stream",
                TestImages.png(50, 40, true));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(Uploads.json(r).get("contentType").asString()).isEqualTo("image/png");
        HttpResponse<String> gif = Uploads.raw(server, parent.accessToken(), "image/jpeg", TestImages.gif(30, 30, 2));
        assertThat(Uploads.json(gif).get("contentType").asString()).isEqualTo("image/gif");
    }

    @Test
    void videosAreStoredAndSeekWithRange() throws IOException {
        byte[] mp4 = TestImages.fixture("tiny.mp4");
        HttpResponse<String> r = Uploads.multipart(server, parent.accessToken(), "file", "clip.mp4", "video/mp4", mp4);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode m = Uploads.json(r);
        assertThat(m.get("contentType").asString()).isEqualTo("video/mp4");
        assertThat(m.get("size").asLong()).isEqualTo(mp4.length);
        assertThat(m.get("width").asInt()).isEqualTo(160);
        assertThat(m.get("durationMs").asLong()).isBetween(900L, 1100L);
        String id = m.get("mediaId").asString();

        HttpResponse<String> link = Uploads.link(server, parent.accessToken(), id, "original");
        HttpResponse<byte[]> whole = Uploads.follow(server, link, null);
        byte[] kept = Files.readAllBytes(server.dataDir().resolve("media").resolve(id).resolve("original"));
        assertThat(whole.body()).isEqualTo(kept).hasSameSizeAs(mp4);
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        HttpResponse<byte[]> part = Uploads.follow(server, link, "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/" + mp4.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(kept, 100, 200));
        assertThat(part.headers().firstValue("Content-Type")).contains("video/mp4");

        HttpResponse<String> webm = Uploads.raw(server, parent.accessToken(), "video/webm", TestImages.fixture("tiny.webm"));
        assertThat(Uploads.json(webm).get("contentType").asString()).isEqualTo("video/webm");
        HttpResponse<String> mov = Uploads.raw(server, parent.accessToken(), "video/quicktime", TestImages.fixture("tiny.mov"));
        assertThat(Uploads.json(mov).get("contentType").asString()).isEqualTo("video/quicktime");

        // issue 21: a video's thumbnail is its poster frame, a JPEG
        HttpResponse<byte[]> thumb = Uploads.follow(server, Uploads.link(server, parent.accessToken(), id, "thumbnail"), null);
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(TestImages.decode(thumb.body()).getWidth()).isEqualTo(160);
    }

    @Test
    void aRangeBeyondTheFileIs416WithoutItAndAnInvalidRangeIsIgnored() throws IOException {
        byte[] mp4 = TestImages.fixture("tiny.mp4");
        HttpResponse<String> r = Uploads.raw(server, parent.accessToken(), "video/mp4", mp4);
        assertThat(r.statusCode()).isEqualTo(201);
        String id = Uploads.json(r).get("mediaId").asString();
        HttpResponse<String> link = Uploads.link(server, parent.accessToken(), id, null);
        for (String range : new String[] {"bytes=" + (mp4.length + 99_999) + "-", "bytes=" + mp4.length + "-"}) {
            HttpResponse<byte[]> beyond = Uploads.follow(server, link, range);
            assertThat(beyond.statusCode()).as(range).isEqualTo(416);
            assertThat(beyond.headers().firstValue("Content-Range")).as(range).contains("bytes */" + mp4.length);
            assertThat(beyond.headers().firstValue("Content-Type")).as(range).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(beyond.body().length).as("not the file").isLessThan(mp4.length);
            assertThat(new String(beyond.body())).contains("\"code\":\"bad_request\"").contains(Integer.toString(mp4.length));
        }
        // RFC 9110 section 14.2: a Range that does not parse is ignored
        for (String range : new String[] {"bytes=abc", "bytes=5-2", "items=0-10", "bytes="}) {
            HttpResponse<byte[]> whole = Uploads.follow(server, link, range);
            assertThat(whole.statusCode()).as(range).isEqualTo(200);
            assertThat(whole.headers().firstValue("Content-Type")).as(range).contains("video/mp4");
            assertThat(whole.headers().firstValue("Content-Range")).as(range).isEmpty();
            assertThat(whole.body()).as(range).hasSameSizeAs(mp4);
        }
        HttpResponse<byte[]> part = Uploads.follow(server, link, "bytes=0-9");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(10);
    }

    @Test
    void anImageOnlyAcceptGetsTheLinkAndTheFile() throws Exception {
        String id = upload(parent);
        for (String accept : new String[] {"image/*", "image/jpeg", "video/mp4"}) {
            HttpResponse<String> link = server.send(java.net.http.HttpRequest.newBuilder(
                    server.uri("/api/v1/media/" + id)).header("Authorization", "Bearer " + parent.accessToken())
                    .header("Accept", accept).GET().build());
            assertThat(link.statusCode()).as(accept).isEqualTo(302);
            URI file = server.uri("/").resolve(link.headers().firstValue("Location").orElseThrow());
            HttpResponse<byte[]> image = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(file).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).as(accept).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).contains("image/jpeg");
            assertThat(TestImages.decode(image.body()).getWidth()).isEqualTo(64);
        }
        HttpResponse<String> missing = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/api/v1/media/no-such-media")).header("Authorization", "Bearer " + parent.accessToken())
                .header("Accept", "image/*").GET().build());
        assertProblem(missing, 404, "not_found");
    }

    @Test
    void refusedUploadsAreProblemsAndLeaveNothingBehind() throws IOException {
        List<Path> before = stored();
        assertProblem(Uploads.multipart(server, parent.accessToken(), "file", "cute-kitten.jpg", "image/jpeg",
                TestImages.executable()), 415, "unsupported_media");
        assertProblem(Uploads.raw(server, parent.accessToken(), "image/png", new byte[0]), 400, "validation_failed");
        byte[] jpeg = TestImages.jpeg(400, 300);
        assertProblem(Uploads.raw(server, parent.accessToken(), "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)),
                400, "validation_failed");
        byte[] bigPhoto = Arrays.copyOf(jpeg, 1_500_000); // a JPEG's head, 1.5 MB: over the 1 MB photo limit
        assertProblem(Uploads.raw(server, parent.accessToken(), "image/jpeg", bigPhoto), 413, "too_large");
        assertProblem(Uploads.multipart(server, parent.accessToken(), "file", "a.jpg", "image/jpeg", bigPhoto), 413,
                "too_large");
        byte[] bigVideo = Arrays.copyOf(TestImages.fixture("tiny.mp4"), 3_000_000); // over every limit
        assertProblem(Uploads.multipart(server, parent.accessToken(), "file", "v.mp4", "video/mp4", bigVideo), 413,
                "too_large");
        assertProblem(Uploads.raw(server, parent.accessToken(), "video/mp4", bigVideo), 413, "too_large");
        assertProblem(Uploads.multipart(server, parent.accessToken(), "photo", "a.jpg", "image/jpeg", jpeg), 400,
                "validation_failed");
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void uploadingNeedsAToken() {
        assertThat(Uploads.raw(server, "not-a-token", "image/jpeg", TestImages.jpeg(10, 10)).statusCode()).isEqualTo(401);
    }

    @Test
    void onlyTheUploaderGetsALinkBeforeAnyMessageAndStrangersCannotTellItExists() {
        String id = upload(parent);
        assertThat(Uploads.link(server, parent.accessToken(), id, "original").statusCode()).isEqualTo(302);
        HttpResponse<String> theirs = Uploads.link(server, stranger.accessToken(), id, "original");
        HttpResponse<String> unknown = Uploads.link(server, stranger.accessToken(), "AAAAAAAAAAAAAAAAAAAAAA", "original");
        assertProblem(theirs, 404, "not_found");
        assertThat(theirs.body().replace(id, "ID")).isEqualTo(unknown.body().replace("AAAAAAAAAAAAAAAAAAAAAA", "ID"));
        assertProblem(Uploads.link(server, stranger.accessToken(), id, "thumbnail"), 404, "not_found");
        assertProblem(Uploads.link(server, parent.accessToken(), id, "poster"), 400, "validation_failed");
        assertThat(server.get("/api/v1/media/" + id, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aForgedOrExpiredLinkIsForbidden() throws Exception {
        String id = upload(parent);
        String location = Uploads.link(server, parent.accessToken(), id, "original").headers().firstValue("Location")
                .orElseThrow();
        URI url = server.uri("/").resolve(location);
        assertThat(Uploads.download(server, url, null).statusCode()).isEqualTo(200);

        String mine = url.toString();
        String other = upload(parent);
        assertForbidden(URI.create(mine.replace(id, other)));
        assertForbidden(URI.create(mine.replaceFirst("expires=(\\d+)", "expires=9$1")));
        assertForbidden(URI.create(mine.replace("image%2Fjpeg", "text%2Fhtml")));
        assertForbidden(URI.create(mine.substring(0, mine.indexOf("&signature=")) + "&signature=AAAA"));
        assertForbidden(URI.create(mine.substring(0, mine.indexOf('?'))));

        Thread.sleep(3_500);
        assertForbidden(url);
    }

    private static void assertForbidden(URI url) {
        HttpResponse<byte[]> r = Uploads.download(server, url, null);
        assertThat(r.statusCode()).as(url.toString()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(new String(r.body())).contains("\"code\":\"forbidden\"");
    }

    static String upload(Session who) {
        HttpResponse<String> r = Uploads.raw(server, who.accessToken(), "image/jpeg", TestImages.jpeg(64, 64));
        assertThat(r.statusCode()).isEqualTo(201);
        return Uploads.json(r).get("mediaId").asString();
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"code\":\"" + code + "\"").contains("\"detail\"");
    }

    /** Every file under the media and spool directories. */
    private static List<Path> stored() throws IOException {
        Path data = server.dataDir();
        try (Stream<Path> media = Files.walk(data.resolve("media"));
             Stream<Path> spool = Files.walk(data.resolve("tmp"))) {
            return Stream.concat(media, spool).filter(Files::isRegularFile).sorted().toList();
        }
    }
}
