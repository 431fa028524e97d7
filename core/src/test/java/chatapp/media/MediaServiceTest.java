package chatapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The media rules on real files: what is accepted, what is refused and why, what is stripped,
 * who may download. The ports are plain in-memory maps here; the real adapters pass
 * {@link MediaStoreContract} and {@link MediaFilesContract}.
 */
class MediaServiceTest {

    @TempDir
    Path tmp;

    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final Map<String, Media> records = new ConcurrentHashMap<>();
    private final Set<String> viewers = ConcurrentHashMap.newKeySet();
    private Path spool;
    private MediaService media;

    @BeforeEach
    void setUp() {
        spool = tmp.resolve("spool");
        media = service(MediaLimits.DEFAULTS);
    }

    private MediaStore store;
    private MediaFiles files;

    private MediaService service(MediaLimits limits) {
        store = new MediaStore() {
            @Override
            public boolean delete(String mediaId) {
                return false; // not used by these tests
            }

            @Override
            public void create(Media m) {
                if (records.putIfAbsent(m.mediaId(), m) != null) {
                    throw new IllegalStateException("exists");
                }
            }

            @Override
            public Optional<Media> find(String id) {
                return Optional.ofNullable(records.get(id));
            }

            @Override
            public void addViewer(String id, String viewer) {
                viewers.add(id + "/" + viewer);
            }

            @Override
            public boolean isViewer(String id, String viewer) {
                return viewers.contains(id + "/" + viewer);
            }

            @Override
            public boolean detach(String id, String viewer) {
                return false; // not used by these tests
            }

            @Override
            public synchronized boolean attachOnce(String id, String viewer) {
                if (!records.containsKey(id) || viewers.stream().anyMatch(v -> v.startsWith(id + "/"))) {
                    return false;
                }
                return viewers.add(id + "/" + viewer);
            }

            @Override
            public java.util.List<Media> unattachedBefore(java.time.Instant cutoff, int limit) {
                return java.util.List.of(); // the cleanup is proven on the real stores (MediaStoreContract)
            }

            @Override
            public boolean deleteUnattached(String id) {
                return false;
            }
        };
        files = new MediaFiles() {
            @Override
            public java.io.InputStream open(String key) {
                byte[] bytes = stored.get(key);
                if (bytes == null) {
                    throw new java.util.NoSuchElementException(key);
                }
                return new java.io.ByteArrayInputStream(bytes);
            }

            @Override
            public void put(String key, Path file, String contentType) {
                try {
                    stored.put(key, Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void delete(String key) {
                stored.remove(key);
            }

            @Override
            public URI url(String key, String contentType, String fileName, Duration validFor) {
                return URI.create("test:" + key + "?type=" + contentType + "&name=" + fileName);
            }
        };
        return new MediaService(store, files, limits, spool, Duration.ofMinutes(5), Clock.systemUTC());
    }

    private Media upload(byte[] bytes) {
        return media.upload("owner", new ByteArrayInputStream(bytes));
    }

    @Test
    void aJpegWithGpsIsStoredWithoutAnyMetadataUprightAndWithAThumbnail() throws Exception {
        // 400x200 pixels whose EXIF says "rotate 90° clockwise to show" (orientation 6)
        Media m = upload(TestImages.jpegWithGps(400, 200, 6));

        assertThat(m.format()).isEqualTo(MediaFormat.JPEG);
        assertThat(m.width()).isEqualTo(200);
        assertThat(m.height()).isEqualTo(400);
        byte[] original = stored.get(m.originalKey());
        assertThat(m.size()).isEqualTo(original.length);
        byte[] thumbnail = stored.get(m.thumbnailKey());
        for (byte[] file : new byte[][] {original, thumbnail}) {
            assertNoMetadata(file);
        }
        BufferedImage upright = TestImages.decode(original);
        assertThat(upright.getWidth()).isEqualTo(200);
        assertThat(upright.getHeight()).isEqualTo(400);
        // the left (red) half of the sensor image is the top half once turned
        assertThat(isRed(upright.getRGB(100, 50))).isTrue();
        assertThat(isRed(upright.getRGB(100, 350))).isFalse();
        BufferedImage thumb = TestImages.decode(thumbnail);
        assertThat(thumb.getHeight()).isEqualTo(320);
        assertThat(thumb.getWidth()).isEqualTo(160);
    }

    @Test
    void theFixtureReallyCarriesWhatMustBeStripped() throws Exception {
        byte[] bytes = TestImages.jpegWithGps(40, 20, 1);
        Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        assertThat(gps).isNotNull();
        assertThat(gps.getGeoLocation().getLatitude()).isBetween(48.85, 48.86);
        assertThat(metadata.getFirstDirectoryOfType(XmpDirectory.class)).isNotNull();
        assertThat(TestImages.contains(bytes, TestImages.CAMERA)).isTrue();
        assertThat(TestImages.contains(bytes, TestImages.COMMENT)).isTrue();
    }

    @Test
    void aSmallPhotoIsNotEnlargedForItsThumbnail() {
        Media m = upload(TestImages.jpeg(100, 50));
        BufferedImage thumb = TestImages.decode(stored.get(m.thumbnailKey()));
        assertThat(thumb.getWidth()).isEqualTo(100);
        assertThat(thumb.getHeight()).isEqualTo(50);
    }

    @Test
    void aPngKeepsItsTransparencyAndLosesItsTextChunks() throws Exception {
        Media m = upload(TestImages.png(600, 300, true));
        assertThat(m.format()).isEqualTo(MediaFormat.PNG);
        assertThat(m.width()).isEqualTo(600);
        byte[] original = stored.get(m.originalKey());
        assertThat(TestImages.contains(original, TestImages.COMMENT)).isFalse();
        assertThat(TestImages.contains(original, "tEXt")).isFalse();
        assertThat(TestImages.decode(original).getColorModel().hasAlpha()).isTrue();
        BufferedImage thumb = TestImages.decode(stored.get(m.thumbnailKey()));
        assertThat(thumb.getWidth()).isEqualTo(320);
        assertThat(thumb.getHeight()).isEqualTo(160);
    }

    @Test
    void anAnimatedGifKeepsItsFramesAndLoopingButNotItsComments() throws Exception {
        byte[] gif = TestImages.gif(120, 80, 3);
        assertThat(TestImages.contains(gif, TestImages.COMMENT)).isTrue();
        Media m = upload(gif);
        assertThat(m.format()).isEqualTo(MediaFormat.GIF);
        assertThat(m.width()).isEqualTo(120);
        assertThat(m.height()).isEqualTo(80);
        byte[] original = stored.get(m.originalKey());
        assertThat(TestImages.contains(original, TestImages.COMMENT)).isFalse();
        assertThat(TestImages.contains(original, "NETSCAPE2.0")).isTrue();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(original))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
            assertThat(isRed(reader.read(0).getRGB(5, 5))).isTrue();
            assertThat(isRed(reader.read(1).getRGB(5, 5))).isFalse();
        }
        assertThat(TestImages.decode(stored.get(m.thumbnailKey())).getWidth()).isEqualTo(120);
    }

    @Test
    void aWebpIsDecodedAndStoredAsJpegWithoutItsXmp() throws Exception {
        byte[] webp = TestImages.fixture("with-xmp.webp");
        assertThat(TestImages.contains(webp, TestImages.XMP_POSITION)).isTrue();
        Media m = upload(webp);
        assertThat(m.format()).isEqualTo(MediaFormat.JPEG);
        assertThat(m.width()).isEqualTo(64);
        assertThat(m.height()).isEqualTo(48);
        assertNoMetadata(stored.get(m.originalKey()));
    }

    @Test
    void videosAreStoredAsUploadedWithTheirSizeTypeAndWhatTheirHeadersTell() {
        Media mp4 = upload(TestImages.fixture("tiny.mp4"));
        assertThat(mp4.format()).isEqualTo(MediaFormat.MP4);
        assertThat(sameExceptBlankedMetadata(stored.get(mp4.originalKey()), TestImages.fixture("tiny.mp4"))).isTrue();
        assertThat(mp4.size()).isEqualTo(TestImages.fixture("tiny.mp4").length);
        assertThat(mp4.width()).isEqualTo(160);
        assertThat(mp4.height()).isEqualTo(120);
        assertThat(mp4.durationMs()).isBetween(900L, 1100L);

        Media mov = upload(TestImages.fixture("tiny.mov"));
        assertThat(mov.format()).isEqualTo(MediaFormat.QUICKTIME);
        assertThat(mov.width()).isEqualTo(160);
        assertThat(mov.durationMs()).isBetween(900L, 1100L);

        Media webm = upload(TestImages.fixture("tiny.webm"));
        assertThat(webm.format()).isEqualTo(MediaFormat.WEBM);
        // same size, only its metadata blanked (WebmMetadataTest): the encoder's tags and names are gone
        assertThat(stored.get(webm.originalKey())).hasSameSizeAs(TestImages.fixture("tiny.webm"));
        assertThat(TestImages.contains(TestImages.fixture("tiny.webm"), "Lavf")).isTrue();
        assertThat(TestImages.contains(stored.get(webm.originalKey()), "Lavf")).isFalse();
        // issue 21: WebM's size and duration are known too (ffprobe)
        assertThat(webm.width()).isEqualTo(160);
        assertThat(webm.height()).isEqualTo(120);
        assertThat(webm.durationMs()).isBetween(900L, 1100L);
    }

    /**
     * Issue 21: every accepted video gets a poster frame, a JPEG at most 320 px on its longer side
     * that exiftool finds nothing planted in, and its duration within 100 ms; for MP4, QuickTime
     * and WebM made by ffmpeg now, carrying planted metadata, 2.5 s long and larger than a thumbnail.
     */
    @Test
    void everyVideoGetsAPosterWithoutMetadataAndItsDuration() throws Exception {
        for (String format : List.of("mp4", "mov", "webm")) {
            Path video = posterVideo(format, "2.5", "640x360");
            Media m = upload(Files.readAllBytes(video));
            assertThat(m.thumbnailKey()).as(format).isEqualTo(m.mediaId() + "/thumbnail");
            byte[] poster = stored.get(m.thumbnailKey());
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new ByteArrayInputStream(poster));
            assertThat(poster[0] & 0xff).as(format + " is a JPEG").isEqualTo(0xff);
            assertThat(poster[1] & 0xff).isEqualTo(0xd8);
            assertThat(image.getWidth()).as(format).isEqualTo(320);
            assertThat(image.getHeight()).as(format).isEqualTo(180);
            Path written = tmp.resolve("poster-" + format + ".jpg");
            Files.write(written, poster);
            assertThat(MediaTools.metadataLeft(written)).as(format).isEmpty();
            assertThat(MediaTools.exif(written).keySet()).as(format + ": nothing but the picture's own fields")
                    .allMatch(tag -> tag.startsWith("File:") || tag.startsWith("JFIF:") || tag.startsWith("Composite:"));
            assertThat(m.durationMs()).as(format).isBetween(2400L, 2600L);
            assertThat(m.width()).as(format).isEqualTo(640);
            assertThat(m.height()).as(format).isEqualTo(360);
            assertThat(media.link("owner", m.mediaId(), MediaService.Variant.THUMBNAIL).toString())
                    .isEqualTo("test:" + m.mediaId() + "/thumbnail?type=image/jpeg&name=" + m.mediaId() + "-thumbnail.jpg");
        }
    }

    /** A WebM as a browser's MediaRecorder streams it: no Duration in its header, yet its duration is known. */
    @Test
    void aStreamedWebmWithoutADurationGetsOneFromItsLastFrame() throws Exception {
        Path video = posterVideo("webm", "1.7", "160x120");
        Path streamed = tmp.resolve("streamed.webm");
        MediaTools.run(tmp, "ffmpeg", "-v", "error", "-y", "-i", video.toString(), "-c", "copy", "-live", "1",
                "-cluster_time_limit", "200", "-f", "webm", streamed.toString());
        Media m = upload(Files.readAllBytes(streamed));
        assertThat(m.durationMs()).isBetween(1600L, 1800L);
        assertThat(m.thumbnailKey()).isNotNull();
    }

    @Test
    void aVideoThatCannotBeDecodedIsRefusedAndNothingIsStored() throws Exception {
        byte[] mp4 = TestImages.fixture("tiny.mp4");
        // headers intact, the coded frames overwritten: the container parses, nothing decodes
        byte[] damaged = mp4.clone();
        int mdat = indexOf(damaged, "mdat");
        java.util.Arrays.fill(damaged, mdat + 4, damaged.length, (byte) 0);
        ChatAppException e = refused(new ByteArrayInputStream(damaged), ErrorCode.UNSUPPORTED_MEDIA);
        assertThat(e.detail()).contains("not a playable mp4 video");
        assertThat(stored).isEmpty();
        assertThat(records).isEmpty();
        try (var files = Files.list(spool)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    /** A video's frames count against the pixel limit as a photo's do: the decoder would allocate for them. */
    @Test
    void aVideoWithFramesOverThePixelLimitIsRefusedBeforeItIsDecoded() throws Exception {
        media = service(new MediaLimits(10L << 20, 100L << 20, 160 * 120 - 1));
        ChatAppException e = refused(new ByteArrayInputStream(TestImages.fixture("tiny.webm")), ErrorCode.TOO_LARGE);
        assertThat(e.detail()).contains("160 × 120");
        assertThat(stored).isEmpty();
        media = service(new MediaLimits(10L << 20, 100L << 20, 160 * 120));
        assertThat(upload(TestImages.fixture("tiny.webm")).thumbnailKey()).isNotNull();
    }

    /** Without ffmpeg (the degraded mode): videos are accepted without a poster, as before issue 21. */
    @Test
    void withoutADecoderAVideoIsAcceptedWithoutAPoster() {
        MediaService degraded = new MediaService(store, files, MediaLimits.DEFAULTS, spool,
                Duration.ofMinutes(5), Clock.systemUTC(), UploadLimits.NONE, Posters.none());
        Media video = degraded.upload("owner", new ByteArrayInputStream(TestImages.fixture("tiny.mp4")));
        assertThat(video.thumbnailKey()).isNull();
        assertThat(video.durationMs()).isBetween(900L, 1100L);
        assertThatThrownBy(() -> degraded.link("owner", video.mediaId(), MediaService.Variant.THUMBNAIL))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.detail()).contains("no poster");
                });
    }

    private Path posterVideo(String format, String seconds, String size) {
        Path out = tmp.resolve("poster-source." + format);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=" + size + ":rate=10", "-t", seconds));
        cmd.addAll(format.equals("webm") ? List.of("-c:v", "libvpx", "-b:v", "100k")
                : List.of("-c:v", "libx264", "-pix_fmt", "yuv420p"));
        cmd.addAll(MediaTools.metadataArguments());
        cmd.add(out.toString());
        MediaTools.run(tmp, cmd.toArray(String[]::new));
        return out;
    }

    @Test
    void whereAVideoWasFilmedIsBlankedAndTheVideoIsOtherwiseUntouched() throws Exception {
        for (String name : List.of("located.mp4", "located.mov")) {
            byte[] uploaded = TestImages.fixture(name);
            assertThat(TestImages.contains(uploaded, "loci")).isTrue(); // ISO 6709 position box
            Media m = upload(uploaded);
            byte[] kept = stored.get(m.originalKey());
            assertThat(kept).hasSameSizeAs(uploaded);
            assertThat(TestImages.contains(kept, "loci")).isFalse();
            assertThat(TestImages.contains(kept, "48.8584")).isFalse();
            assertThat(TestImages.contains(kept, TestImages.COMMENT)).isFalse();
            assertThat(TestImages.contains(kept, "udta")).isFalse();
            assertThat(sameExceptBlankedMetadata(kept, uploaded)).isTrue();
            assertThat(m.width()).isEqualTo(160);
            assertThat(m.durationMs()).isBetween(900L, 1100L);
        }
        assertThat(TestImages.contains(TestImages.fixture("located.mov"), "48.8584")).isTrue();
    }

    /**
     * Every byte is as uploaded except inside boxes that became {@code free} and are zero: the
     * sample data and tables are untouched, so the video plays as before.
     */
    private static boolean sameExceptBlankedMetadata(byte[] kept, byte[] uploaded) {
        if (kept.length != uploaded.length) {
            return false;
        }
        int changed = 0;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != uploaded[i]) {
                changed++;
                boolean inFreeType = i >= 4 && TestImages.contains(Arrays.copyOfRange(kept, Math.max(0, i - 3), i + 4), "free");
                if (kept[i] != 0 && !inFreeType) {
                    return false;
                }
            }
        }
        return changed > 0;
    }

    @Test
    void aRenamedExecutableIsUnsupportedAndLeavesNothingBehind() throws IOException {
        assertRefused(TestImages.executable(), ErrorCode.UNSUPPORTED_MEDIA);
        assertRefused("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(), ErrorCode.UNSUPPORTED_MEDIA);
        assertRefused("just some text that claims to be image/png".getBytes(), ErrorCode.UNSUPPORTED_MEDIA);
    }

    @Test
    void aMatroskaFileThatIsNotWebmIsUnsupported() throws IOException {
        byte[] mkv = TestImages.fixture("tiny.webm");
        int at = indexOf(mkv, "webm");
        System.arraycopy("mkvx".getBytes(), 0, mkv, at, 4);
        assertRefused(mkv, ErrorCode.UNSUPPORTED_MEDIA);
    }

    @Test
    void anEmptyFileIsInvalid() throws IOException {
        assertThat(assertRefused(new byte[0], ErrorCode.VALIDATION_FAILED).detail()).contains("file").contains("empty");
    }

    @Test
    void aTruncatedOrCorruptPhotoIsInvalidAndLeavesNothingBehind() throws IOException {
        byte[] jpeg = TestImages.jpeg(300, 200);
        assertRefused(Arrays.copyOf(jpeg, jpeg.length / 2), ErrorCode.VALIDATION_FAILED);
        byte[] png = TestImages.png(300, 200, false);
        assertRefused(Arrays.copyOf(png, png.length / 2), ErrorCode.VALIDATION_FAILED);
        byte[] gif = TestImages.gif(300, 200, 2);
        assertRefused(Arrays.copyOf(gif, gif.length / 2), ErrorCode.VALIDATION_FAILED);
        byte[] garbage = Arrays.copyOf(jpeg, jpeg.length);
        Arrays.fill(garbage, 20, garbage.length, (byte) 0x55);
        assertRefused(garbage, ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void anUploadOverTheLimitIsTooLargeAndReadingStopsEarly() throws IOException {
        media = service(new MediaLimits(200_000, 1_000_000, 50_000_000));
        byte[] head = TestImages.jpeg(64, 64);
        EndlessStream body = new EndlessStream(head);
        ChatAppException e = refused(body, ErrorCode.TOO_LARGE);
        assertThat(e.detail()).contains("photos").contains("200000 bytes");
        assertThat(body.served).isLessThan(200_000 + 2 * 64 * 1024);
        assertNothingLeft();

        EndlessStream video = new EndlessStream(TestImages.fixture("tiny.mp4"));
        assertThat(refused(video, ErrorCode.TOO_LARGE).detail()).contains("videos");
        assertThat(video.served).isBetween(1_000_000L, 1_000_000L + 2 * 64 * 1024);
        assertNothingLeft();
    }

    @Test
    void anUploadThatBreaksOffIsTheClientsErrorAndLeavesNothingBehind() throws IOException {
        byte[] mp4 = TestImages.fixture("tiny.mp4");
        InputStream breaking = new java.io.SequenceInputStream(new ByteArrayInputStream(mp4), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new java.io.EOFException("client went away");
            }
        });
        assertThat(refused(breaking, ErrorCode.BAD_REQUEST).detail()).contains("broke off");
    }

    @Test
    void aPhotoWithTooManyPixelsIsTooLarge() throws IOException {
        media = service(new MediaLimits(10 << 20, 100 << 20, 10_000));
        assertThat(assertRefused(TestImages.jpeg(101, 100), ErrorCode.TOO_LARGE).detail()).contains("pixels");
        assertRefused(TestImages.gif(50, 50, 5), ErrorCode.TOO_LARGE);
    }

    @Test
    void onlyTheUploaderAndThoseItWasSentToGetALink() {
        Media photo = upload(TestImages.jpeg(40, 40));
        assertThat(media.link("owner", photo.mediaId(), MediaService.Variant.ORIGINAL).toString())
                .contains(photo.originalKey()).contains("image/jpeg").contains(photo.mediaId() + ".jpg");
        assertThat(media.link("owner", photo.mediaId(), MediaService.Variant.THUMBNAIL).toString())
                .contains(photo.thumbnailKey());
        assertThatThrownBy(() -> media.link("stranger", photo.mediaId(), MediaService.Variant.ORIGINAL))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> media.link("owner", "no-such-id", MediaService.Variant.ORIGINAL))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));

        new Attachments(store).attach("owner", photo.mediaId(), "image", "peer");
        assertThat(media.link("peer", photo.mediaId(), MediaService.Variant.ORIGINAL)).isNotNull();
        assertThatThrownBy(() -> media.link("stranger", photo.mediaId(), MediaService.Variant.ORIGINAL))
                .isInstanceOf(ChatAppException.class);
    }

    @Test
    void aVideosThumbnailIsItsPoster() {
        Media video = upload(TestImages.fixture("tiny.mp4"));
        assertThat(media.link("owner", video.mediaId(), MediaService.Variant.THUMBNAIL).toString())
                .startsWith("test:" + video.mediaId() + "/thumbnail?type=image/jpeg");
    }

    @Test
    void onlyTheUploaderMaySendItAndOnlyAsItsKind() {
        Media photo = upload(TestImages.jpeg(40, 40));
        Attachments attachments = new Attachments(store);
        assertThatThrownBy(() -> attachments.attach("someone-else", photo.mediaId(), "image", "owner"))
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThatThrownBy(() -> attachments.attach("owner", photo.mediaId(), "video", "peer"))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.detail()).contains("image"));
        assertThat(viewers).isEmpty();
        assertThat(attachments.attach("owner", photo.mediaId(), "image", "peer")).isEqualTo(photo);
        // An upload is sent in one message only (docs/decisions/0052-one-message-per-upload.md).
        assertThatThrownBy(() -> attachments.attach("owner", photo.mediaId(), "image", "peer"))
                .isInstanceOfSatisfying(Attachments.AlreadySent.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(viewers).containsExactly(photo.mediaId() + "/peer");
    }

    @Test
    void leftoversOfACrashAreClearedOnStart() throws IOException {
        Files.createDirectories(spool);
        Path old = Files.writeString(spool.resolve("upload-1.part"), "x");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(spool.resolve("upload-2.part"), "y");
        service(MediaLimits.DEFAULTS);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }

    private ChatAppException assertRefused(byte[] bytes, ErrorCode code) throws IOException {
        return refused(new ByteArrayInputStream(bytes), code);
    }

    private ChatAppException refused(InputStream body, ErrorCode code) throws IOException {
        ChatAppException refusal = null;
        try {
            media.upload("owner", body);
        } catch (ChatAppException e) {
            refusal = e;
        }
        assertThat(refusal).as("refused with " + code).isNotNull();
        assertThat(refusal.code()).isEqualTo(code);
        assertNothingLeft();
        return refusal;
    }

    private void assertNothingLeft() throws IOException {
        assertThat(stored).isEmpty();
        assertThat(records).isEmpty();
        if (Files.exists(spool)) {
            try (var files = Files.list(spool)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    static void assertNoMetadata(byte[] file) {
        assertThat(TestImages.metadataLeft(file)).isEmpty();
    }

    private static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 200 && c.getBlue() < 60;
    }

    private static int indexOf(byte[] haystack, String text) {
        for (int i = 0; i < haystack.length; i++) {
            if (new String(haystack, i, Math.min(text.length(), haystack.length - i)).equals(text)) {
                return i;
            }
        }
        throw new AssertionError(text + " not found");
    }

    /** A real file's bytes followed by zeros without end: only a reader that stops can finish. */
    static final class EndlessStream extends InputStream {
        private final byte[] head;
        long served;

        EndlessStream(byte[] head) {
            this.head = head;
        }

        @Override
        public int read() {
            return served < head.length ? head[(int) served++] & 0xff : (int) (served++ * 0);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (served < head.length) {
                int n = (int) Math.min(len, head.length - served);
                System.arraycopy(head, (int) served, b, off, n);
                served += n;
                return n;
            }
            Arrays.fill(b, off, off + len, (byte) 0);
            served += len;
            return len;
        }
    }
}
