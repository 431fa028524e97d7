package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The sizes a WebP's bitstreams declare, read from their headers before anything is decoded.
 * The reader reports the {@code VP8X} canvas, but its VP8 decoder allocates for the size in the
 * frame header, which may be larger (up to 16383 × 16383 in a few bytes); so each {@code VP8 }
 * and {@code VP8L} header is checked too, also inside animation frames ({@code ANMF}).
 * Container layout: Google's "WebP Container Specification"; VP8 frame header: RFC 6386 §9.1;
 * VP8L header: "WebP Lossless Bitstream Specification" §3.
 */
final class WebpFrames {

    private WebpFrames() {
    }

    /**
     * @throws ChatAppException 413 {@code too_large} naming the frame if one declares more than
     *     {@code maxPixels} pixels
     */
    static void check(Path webp, long maxPixels) {
        try (FileChannel channel = FileChannel.open(webp)) {
            chunks(channel, 12, Math.min(channel.size(), 8 + riffSize(channel)), maxPixels, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long riffSize(FileChannel channel) throws IOException {
        ByteBuffer b = read(channel, 4, 4);
        return b.remaining() < 4 ? 0 : Integer.toUnsignedLong(b.getInt(0));
    }

    private static void chunks(FileChannel channel, long from, long to, long maxPixels, int depth) throws IOException {
        for (long at = from; at + 8 <= to; ) {
            ByteBuffer header = read(channel, at, 8);
            if (header.remaining() < 8) {
                return;
            }
            String fourCc = new String(header.array(), 0, 4, StandardCharsets.ISO_8859_1);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long data = at + 8;
            switch (fourCc) {
                case "VP8 " -> {
                    ByteBuffer b = read(channel, data, 10);
                    if (b.remaining() == 10) {
                        check(b.getShort(6) & 0x3fff, b.getShort(8) & 0x3fff, maxPixels);
                    }
                }
                case "VP8L" -> {
                    ByteBuffer b = read(channel, data, 5);
                    if (b.remaining() == 5) {
                        int bits = b.getInt(1);
                        check((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, maxPixels);
                    }
                }
                case "ANMF" -> {
                    if (depth == 0) {
                        chunks(channel, data + 16, Math.min(to, data + size), maxPixels, 1);
                    }
                }
                default -> {
                    // other chunks hold no pixels of their own (ALPH has the frame's size)
                }
            }
            at = data + size + (size & 1); // chunks are padded to an even size
        }
    }

    private static void check(int width, int height, long maxPixels) {
        if ((long) width * height > maxPixels) {
            throw new ChatAppException(ErrorCode.TOO_LARGE, "the WebP holds a frame of " + width + " × " + height
                    + " pixels; at most " + maxPixels + " are accepted");
        }
    }

    private static ByteBuffer read(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && channel.read(b, at + b.position()) > 0) {
            // until full or the end of the file
        }
        return b.flip();
    }
}
