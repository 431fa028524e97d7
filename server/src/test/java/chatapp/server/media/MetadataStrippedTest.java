package chatapp.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.media.MediaTools;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The product promises metadata-free media (docs/media.md): for every accepted container, a file
 * carrying a position, title, comment, author and capture date (written by exiftool into photos,
 * by ffmpeg into videos) is uploaded over HTTP, downloaded through its link, and exiftool must
 * find nothing of it in what is served; videos must still play (ffmpeg decodes every frame).
 */
class MetadataStrippedTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    static Session parent;

    @TempDir
    Path tmp;

    @BeforeAll
    static void account() {
        parent = TestAccounts.register(server, UserType.PARENT);
    }

    @Test
    void jpeg() throws IOException {
        assertPhotoServedClean(Files.write(tmp.resolve("photo.jpg"), TestImages.jpegWithGps(64, 48, 1)), "image/jpeg");
    }

    @Test
    void png() throws IOException {
        assertPhotoServedClean(Files.write(tmp.resolve("photo.png"), TestImages.png(64, 48, true)), "image/png");
    }

    @Test
    void gif() throws IOException {
        assertPhotoServedClean(Files.write(tmp.resolve("photo.gif"), TestImages.gif(30, 30, 2)), "image/gif");
    }

    @Test
    void webp() throws IOException {
        Path webp = tmp.resolve("photo.webp");
        MediaTools.run(tmp, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1",
                "-c:v", "libwebp", webp.toString());
        assertPhotoServedClean(webp, "image/jpeg");
    }

    @Test
    void mp4() throws IOException {
        assertVideoServedClean("mp4", "video/mp4");
    }

    @Test
    void mov() throws IOException {
        assertVideoServedClean("mov", "video/quicktime");
    }

    @Test
    void webm() throws IOException {
        assertVideoServedClean("webm", "video/webm");
    }

    private void assertPhotoServedClean(Path photo, String servedType) throws IOException {
        MediaTools.withMetadata(photo);
        assertThat(MediaTools.exif(photo).toString()).as("planted").contains(MediaTools.TITLE);
        assertThat(MediaTools.metadataLeft(photo)).as("planted").isNotEmpty();

        String id = upload(photo, servedType);
        Path original = download(id, "original");
        assertThat(MediaTools.metadataLeft(original)).isEmpty();
        assertThat(MediaTools.exif(original)).containsKey("Composite:ImageSize");
        assertThat(MediaTools.metadataLeft(download(id, "thumbnail"))).isEmpty();
    }

    private void assertVideoServedClean(String format, String servedType) throws IOException {
        Path video = MediaTools.video(tmp, format);
        String planted = MediaTools.exif(video).toString();
        assertThat(planted).as("planted").contains(MediaTools.TITLE, MediaTools.COMMENT, MediaTools.AUTHOR,
                MediaTools.DATE);
        assertThat(MediaTools.metadataLeft(video)).as("planted").isNotEmpty();

        String id = upload(video, servedType);
        Path served = download(id, "original");
        assertThat(MediaTools.metadataLeft(served)).isEmpty();
        byte[] bytes = Files.readAllBytes(served);
        for (String text : new String[] {MediaTools.TITLE, MediaTools.COMMENT, MediaTools.AUTHOR, MediaTools.PLACE,
            "48.8584"}) {
            assertThat(TestImages.contains(bytes, text)).as(text).isFalse();
        }
        MediaTools.assertPlays(served);
    }

    private String upload(Path file, String servedType) throws IOException {
        HttpResponse<String> r = Uploads.multipart(server, parent.accessToken(), "file", "upload", "application/octet-stream",
                Files.readAllBytes(file));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode m = Uploads.json(r);
        assertThat(m.get("contentType").asString()).isEqualTo(servedType);
        return m.get("mediaId").asString();
    }

    private Path download(String mediaId, String variant) throws IOException {
        HttpResponse<String> link = Uploads.link(server, parent.accessToken(), mediaId, variant);
        assertThat(link.statusCode()).as(link.body()).isEqualTo(302);
        HttpResponse<byte[]> file = Uploads.follow(server, link, null);
        assertThat(file.statusCode()).isEqualTo(200);
        return Files.write(tmp.resolve(mediaId + "-" + variant), file.body());
    }
}
