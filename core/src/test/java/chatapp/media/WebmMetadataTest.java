package chatapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebmMetadata} on WebM files that ffmpeg makes with metadata in every place Matroska
 * has for it (tags, segment title and date, track names, chapters, attachments), in the shapes
 * recorders write (sizes known, or unknown as a browser's MediaRecorder streams them), cut off,
 * and damaged. exiftool must find nothing planted afterwards and ffmpeg must still play it.
 */
class WebmMetadataTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    @Test
    void tagsTitleDateTrackNamesAndChaptersAreBlankedAndTheVideoStillPlays() throws IOException {
        Path chapters = tmp.resolve("chapters.txt");
        Files.writeString(chapters, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle="
                + MediaTools.TITLE + "\n");
        Path webm = tmp.resolve("chapters.webm");
        ffmpeg(webm, "-i", chapters.toString(), "-map_chapters", "1");
        assertThat(MediaTools.exif(webm).toString()).contains(MediaTools.TITLE, MediaTools.COMMENT,
                MediaTools.AUTHOR, MediaTools.DATE, "48.8584");
        assertThat(MediaTools.run(tmp, "ffprobe", "-v", "error", "-show_chapters", webm.toString()))
                .contains(MediaTools.TITLE);
        byte[] before = Files.readAllBytes(webm);

        assertThat(WebmMetadata.blank(webm)).isGreaterThan(3);

        assertThat(MediaTools.metadataLeft(webm)).isEmpty();
        byte[] after = Files.readAllBytes(webm);
        assertThat(after).hasSameSizeAs(before);
        for (String planted : new String[] {MediaTools.TITLE, MediaTools.COMMENT, MediaTools.AUTHOR, "48.8584", "Lavf"}) {
            assertThat(TestImages.contains(after, planted)).as(planted).isFalse();
        }
        assertThat(MediaTools.run(tmp, "ffprobe", "-v", "error", "-show_chapters", webm.toString())).isBlank();
        MediaTools.assertPlays(webm);
        assertThat(MediaTools.exif(webm)).containsEntry("Track1:ImageWidth", "160").containsEntry("Matroska:DocType",
                "webm");
    }

    @Test
    void attachmentsAreBlanked() throws IOException {
        Path note = tmp.resolve("note.txt");
        Files.writeString(note, "the family lives at " + MediaTools.PLACE);
        Path mkv = tmp.resolve("attached.mkv");
        ffmpeg(mkv, "-attach", note.toString(), "-metadata:s:t", "mimetype=text/plain", "-f", "matroska");
        // A Matroska file may say it is WebM: DocType "matroska" becomes "webm" padded with NULs
        byte[] bytes = Files.readAllBytes(mkv);
        int at = indexOf(bytes, HEX.parseHex("428288") , 0);
        assertThat(new String(bytes, at + 3, 8, StandardCharsets.US_ASCII)).isEqualTo("matroska");
        System.arraycopy("webm\0\0\0\0".getBytes(StandardCharsets.US_ASCII), 0, bytes, at + 3, 8);
        Path webm = tmp.resolve("attached.webm");
        Files.write(webm, bytes);
        assertThat(FormatDetector.detect(Arrays.copyOf(bytes, Math.min(bytes.length, FormatDetector.HEAD_BYTES))))
                .isEqualTo(MediaFormat.WEBM);
        assertThat(MediaTools.exif(webm).toString()).contains("note.txt");

        WebmMetadata.blank(webm);

        assertThat(MediaTools.metadataLeft(webm)).isEmpty();
        byte[] after = Files.readAllBytes(webm);
        assertThat(TestImages.contains(after, MediaTools.PLACE)).isFalse();
        assertThat(TestImages.contains(after, "note.txt")).isFalse();
        MediaTools.assertPlays(webm);
    }

    @Test
    void aStreamedRecordingWithUnknownSizesIsWalkedToItsEnd() throws IOException {
        Path piped = tmp.resolve("piped.webm");
        ffmpeg(piped, "-f", "webm", "-live", "1");
        byte[] bytes = Files.readAllBytes(piped);
        int segment = indexOf(bytes, HEX.parseHex("18538067"), 0);
        assertThat(HEX.formatHex(bytes, segment + 4, segment + 12)).as("the segment's size is unknown")
                .isEqualTo("01ffffffffffffff");
        // every Cluster of unknown size, as MediaRecorder writes them, and Tags after the last one
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int clusters = 0;
        for (int from = 0; ; ) {
            int c = indexOf(bytes, HEX.parseHex("1F43B675"), from);
            if (c < 0) {
                out.write(bytes, from, bytes.length - from);
                break;
            }
            out.write(bytes, from, c + 4 - from);
            out.writeBytes(HEX.parseHex("01ffffffffffffff"));
            from = c + 4 + Integer.numberOfLeadingZeros(bytes[c + 4] & 0xff) - 23;
            clusters++;
        }
        assertThat(clusters).isPositive();
        out.writeBytes(tags("LATE_NOTE", MediaTools.PLACE));
        Files.write(piped, out.toByteArray());
        MediaTools.assertPlays(piped);
        assertThat(MediaTools.exif(piped).toString()).contains(MediaTools.TITLE);

        WebmMetadata.blank(piped);

        byte[] after = Files.readAllBytes(piped);
        assertThat(TestImages.contains(after, MediaTools.PLACE)).as("the tags after the last cluster").isFalse();
        assertThat(TestImages.contains(after, MediaTools.TITLE)).isFalse();
        assertThat(MediaTools.metadataLeft(piped)).isEmpty();
        MediaTools.assertPlays(piped);
    }

    @Test
    void aCutOffRecordingIsCleanedAsFarAsItGoes() throws IOException {
        Path webm = tmp.resolve("cut.webm");
        ffmpeg(webm, "-f", "webm", "-live", "1");
        byte[] bytes = Files.readAllBytes(webm);
        Files.write(webm, Arrays.copyOf(bytes, bytes.length - 1000));
        assertThat(TestImages.contains(Files.readAllBytes(webm), MediaTools.TITLE)).isTrue();

        WebmMetadata.blank(webm);

        assertThat(TestImages.contains(Files.readAllBytes(webm), MediaTools.TITLE)).isFalse();
        assertThat(MediaTools.metadataLeft(webm)).isEmpty();
    }

    @Test
    void aStructureThatCannotBeWalkedIsRefusedAsDamaged() throws IOException {
        Path webm = tmp.resolve("broken.webm");
        ffmpeg(webm);
        byte[] bytes = Files.readAllBytes(webm);
        // the Info element: its id appears first inside the SeekHead's entry for it
        int info = indexOf(bytes, HEX.parseHex("1549A966"), indexOf(bytes, HEX.parseHex("1549A966"), 0) + 4);

        byte[] zeroId = bytes.clone();
        zeroId[info] = 0; // no EBML id starts with a zero byte
        assertDamaged(zeroId, "not valid EBML");

        int tracks = indexOf(bytes, HEX.parseHex("1654AE6B"), info); // Tracks, after Info
        assertDamaged(Arrays.copyOf(bytes, tracks + 20), "runs past the end of the file"); // the headers cut off

        byte[] childOverrun = bytes.clone();
        int scale = indexOf(bytes, HEX.parseHex("2AD7B1"), info); // TimestampScale, Info's first child
        childOverrun[scale + 3] = (byte) 0xFE; // 126 bytes: past the end of Info
        assertDamaged(childOverrun, "runs past the end of its parent");

        ByteArrayOutputStream unknownTags = new ByteArrayOutputStream();
        int segment = indexOf(bytes, HEX.parseHex("18538067"), 0);
        unknownTags.write(bytes, 0, segment + 4);
        unknownTags.writeBytes(HEX.parseHex("01ffffffffffffff"));
        int segmentSizeLength = Integer.numberOfLeadingZeros(bytes[segment + 4] & 0xff) - 23;
        unknownTags.write(bytes, segment + 4 + segmentSizeLength, bytes.length - segment - 4 - segmentSizeLength);
        unknownTags.writeBytes(HEX.parseHex("1254C36701ffffffffffffff"));
        unknownTags.writeBytes(tags("X", MediaTools.PLACE));
        assertDamaged(unknownTags.toByteArray(), "unknown size");
    }

    private void assertDamaged(byte[] bytes, String why) throws IOException {
        Path file = Files.write(tmp.resolve("damaged-" + System.nanoTime() + ".webm"), bytes);
        assertThatThrownBy(() -> WebmMetadata.blank(file))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.getMessage()).contains("WEBM", why);
                });
    }

    /** ffmpeg's one-second test video with the planted metadata, plus {@code extra} before the output. */
    private void ffmpeg(Path out, String... extra) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ffmpeg", "-v", "error", "-y", "-f",
                "lavfi", "-i", "testsrc=size=160x120:rate=10"));
        cmd.addAll(Arrays.asList(extra));
        cmd.addAll(java.util.List.of("-t", "1", "-c:v", "libvpx", "-b:v", "50k"));
        cmd.addAll(MediaTools.metadataArguments());
        cmd.add(out.toString());
        MediaTools.run(tmp, cmd.toArray(String[]::new));
    }

    /** A Tags element (id 0x1254C367) with one SimpleTag {@code name} = {@code value}. */
    private static byte[] tags(String name, String value) {
        byte[] simple = concat(element("45A3", name.getBytes(StandardCharsets.UTF_8)),
                element("4487", value.getBytes(StandardCharsets.UTF_8)));
        return element("1254C367", element("7373", element("67C8", simple)));
    }

    private static byte[] element(String idHex, byte[] data) {
        assertThat(data.length).isLessThan(127);
        return concat(concat(HEX.parseHex(idHex), new byte[] {(byte) (0x80 | data.length)}), data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
