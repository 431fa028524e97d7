package chatapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes a photo declares rather than holds (issue 19): a GIF's logical screen, a PNG's IHDR, a
 * WebP's canvas and frame headers. A few bytes can ask a viewer (or our decoder) for gigabytes:
 * each is checked against the pixel limit before a pixel is decoded, and a cleaned GIF declares
 * the canvas its frames are drawn on.
 */
class DeclaredSizeTest {

    private static final long LIMIT = MediaLimits.DEFAULTS.maxPixels();

    @TempDir
    Path tmp;

    @Test
    void aGifDeclaringAHugeCanvasAroundATinyFrameIs413NamingTheCanvas() throws IOException {
        byte[] gif = gifWithScreen(TestImages.gif(1, 1, 1), 65535, 65535, 0, 0);
        assertTooLarge(gif, MediaFormat.GIF, "canvas of 65535 × 65535");
    }

    @Test
    void aGifPlacingAFrameFarOutsideItsScreenIs413() throws IOException {
        byte[] gif = gifWithScreen(TestImages.gif(1, 1, 1), 1, 1, 60000, 60000);
        assertTooLarge(gif, MediaFormat.GIF, "canvas of 60001 × 60001");
    }

    @Test
    void aCleanedGifDeclaresTheCanvasItsFramesAreDrawnOn() throws IOException {
        byte[] gif = gifWithScreen(TestImages.gif(10, 10, 2), 100, 80, 5, 5);
        Photos.Cleaned cleaned = clean(gif, MediaFormat.GIF);
        assertThat(cleaned.width()).isEqualTo(100);
        assertThat(cleaned.height()).isEqualTo(80);
        ByteBuffer served = ByteBuffer.wrap(Files.readAllBytes(cleaned.file())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(served.getShort(6)).as("logical screen width").isEqualTo((short) 100);
        assertThat(served.getShort(8)).as("logical screen height").isEqualTo((short) 80);
        try (var in = javax.imageio.ImageIO.createImageInputStream(cleaned.file().toFile())) {
            javax.imageio.ImageReader reader = javax.imageio.ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(2);
            var frame = (javax.imageio.metadata.IIOMetadataNode) reader.getImageMetadata(1)
                    .getAsTree("javax_imageio_gif_image_1.0").getFirstChild();
            assertThat(frame.getNodeName()).isEqualTo("ImageDescriptor");
            assertThat(frame.getAttribute("imageLeftPosition")).as("frames stay where they were").isEqualTo("5");
            assertThat(frame.getAttribute("imageWidth")).isEqualTo("10");
        }
    }

    @Test
    void aPngDeclaringAHugeImageIs413BeforeItsDataIsRead() {
        byte[] png = png(65535, 65535);
        long start = System.nanoTime();
        assertTooLarge(png, MediaFormat.PNG, "4294836225 pixels");
        assertThat(System.nanoTime() - start).as("refused from the header").isLessThan(5_000_000_000L);
    }

    @Test
    void aWebpCanvasOverTheLimitIs413() throws IOException {
        byte[] frame = vp8Chunk(webp());
        assertTooLarge(riff(concat(vp8x(16384, 16384), frame)), MediaFormat.WEBP, "268435456 pixels");
    }

    @Test
    void aWebpFrameLargerThanItsSmallCanvasIs413BeforeTheDecoderAllocatesForIt() throws IOException {
        byte[] frame = vp8Chunk(webp());
        int start = indexOf(frame, new byte[] {(byte) 0x9d, 0x01, 0x2a}); // VP8 key frame start code
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(start + 3, (short) 16383)
                .putShort(start + 5, (short) 16383);
        assertTooLarge(riff(concat(vp8x(64, 48), frame)), MediaFormat.WEBP, "frame of 16383 × 16383");
        assertTooLarge(riff(frame), MediaFormat.WEBP, "16383");
        // the same file with its real frame size is a photo
        assertThat(clean(riff(concat(vp8x(64, 48), vp8Chunk(webp()))), MediaFormat.WEBP).width()).isEqualTo(64);
    }

    private void assertTooLarge(byte[] file, MediaFormat format, String detail) {
        assertThatThrownBy(() -> clean(file, format)).isInstanceOfSatisfying(ChatAppException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(e.detail()).contains(detail).contains("at most " + LIMIT);
        });
    }

    private Photos.Cleaned clean(byte[] file, MediaFormat format) throws IOException {
        Path upload = Files.write(tmp.resolve("upload-" + System.nanoTime()), file);
        return Photos.clean(upload, format, LIMIT, tmp);
    }

    /** {@code gif} with its logical screen set to {@code width × height} and each frame moved to (left, top). */
    private static byte[] gifWithScreen(byte[] gif, int width, int height, int left, int top) {
        ByteBuffer b = ByteBuffer.wrap(gif.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(6, (short) width).putShort(8, (short) height);
        int flags = b.get(10) & 0xff;
        int at = 13 + ((flags & 0x80) != 0 ? 3 * (1 << ((flags & 7) + 1)) : 0);
        int frames = 0;
        while (at < gif.length && b.get(at) != 0x3B) {
            if (b.get(at) == 0x21) { // extension: label, then sub-blocks
                at = skipBlocks(b, at + 2);
            } else if (b.get(at) == 0x2C) { // image descriptor
                b.putShort(at + 1, (short) left).putShort(at + 3, (short) top);
                int local = b.get(at + 9) & 0xff;
                at += 10 + ((local & 0x80) != 0 ? 3 * (1 << ((local & 7) + 1)) : 0);
                at = skipBlocks(b, at + 1); // LZW minimum code size, then data sub-blocks
                frames++;
            } else {
                throw new IllegalStateException("unexpected GIF block " + b.get(at));
            }
        }
        assertThat(frames).isPositive();
        return b.array();
    }

    private static int skipBlocks(ByteBuffer b, int at) {
        while ((b.get(at) & 0xff) != 0) {
            at += 1 + (b.get(at) & 0xff);
        }
        return at + 1;
    }

    /** A PNG whose IHDR says {@code width × height} (RGB, 8 bits) with a few rows of data. */
    private static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1000]);
        deflater.finish();
        byte[] data = new byte[1000];
        chunk(out, "IDAT", java.util.Arrays.copyOf(data, deflater.deflate(data)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A 64×48 lossy WebP made by ffmpeg: RIFF, WEBP, one {@code VP8 } chunk. */
    private byte[] webp() throws IOException {
        Path out = tmp.resolve("plain-" + System.nanoTime() + ".webp");
        MediaTools.run(tmp, "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1",
                "-c:v", "libwebp", out.toString());
        return Files.readAllBytes(out);
    }

    private static byte[] vp8Chunk(byte[] webp) {
        assertThat(new String(webp, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8 ");
        return java.util.Arrays.copyOfRange(webp, 12, webp.length);
    }

    private static byte[] vp8x(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        b.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        b.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        return b.array();
    }

    private static byte[] riff(byte[] chunks) {
        ByteBuffer b = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + chunks.length);
        b.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(chunks);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
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
