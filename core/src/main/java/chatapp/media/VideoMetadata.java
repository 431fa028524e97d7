package chatapp.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Blanks the metadata of an MP4 or QuickTime file in place: every user-data ({@code udta}) and
 * metadata ({@code meta}) box at the top level, in {@code moov} and in each {@code trak}, and
 * XMP {@code uuid} boxes, become {@code free} boxes of the same size filled with zeros. That is
 * where phones put where a video was filmed ({@code ©xyz}, {@code loci},
 * {@code com.apple.quicktime.location.ISO6709}), the camera, the software and the date. Sizes
 * and offsets do not change, so the sample tables still point at the right bytes and the video
 * plays as before (ISO/IEC 14496-12: readers skip {@code free} boxes). The creation and
 * modification times of the movie, track and media headers ({@code mvhd}, {@code tkhd},
 * {@code mdhd}; when it was filmed) are set to zero, "not set", and the tracks' handler names
 * ({@code hdlr} in {@code mdia} and {@code minf}, free text) become empty strings.
 */
final class VideoMetadata {

    private static final byte[] FREE = "free".getBytes(StandardCharsets.ISO_8859_1);
    /** Where a handler box's name starts: version and flags, pre_defined, handler_type, 3 reserved ints. */
    private static final int HANDLER_NAME = 24;
    /** Adobe's XMP box: uuid BE7ACFCB-97A9-42E8-9C71-999491E3AFAC. */
    private static final byte[] XMP_UUID = {(byte) 0xBE, 0x7A, (byte) 0xCF, (byte) 0xCB, (byte) 0x97, (byte) 0xA9,
        0x42, (byte) 0xE8, (byte) 0x9C, 0x71, (byte) 0x99, (byte) 0x94, (byte) 0x91, (byte) 0xE3, (byte) 0xAF,
        (byte) 0xAC};

    private VideoMetadata() {
    }

    /** @return how many boxes were blanked */
    static int blank(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return walk(channel, 0, channel.size(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + file, e);
        }
    }

    private static int walk(FileChannel channel, long from, long to, int depth) throws IOException {
        int blanked = 0;
        ByteBuffer header = ByteBuffer.allocate(16);
        for (long at = from; at + 8 <= to; ) {
            header.clear();
            if (channel.read(header, at) < 8) {
                break;
            }
            long size = Integer.toUnsignedLong(header.getInt(0));
            String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
            int headerSize = 8;
            if (size == 1) {
                size = header.getLong(8);
                headerSize = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < headerSize || at + size > to) {
                break; // not a box we can trust; leave the rest as it is
            }
            if (type.equals("udta") || type.equals("meta") || (type.equals("uuid") && isXmp(channel, at + headerSize))) {
                blank(channel, at, size, headerSize);
                blanked++;
            } else if ((type.equals("mvhd") && depth == 1) || (type.equals("tkhd") && depth == 2)
                    || (type.equals("mdhd") && depth == 3)) {
                blanked += zeroDates(channel, at + headerSize, size - headerSize);
            } else if (type.equals("hdlr") && (depth == 3 || depth == 4) && size - headerSize > HANDLER_NAME) {
                // a track's handler name is free text (a muxer's "VideoHandler", or whatever the writer set)
                zero(channel, at + headerSize + HANDLER_NAME, at + size);
                blanked++;
            } else if ((type.equals("moov") && depth == 0) || (type.equals("trak") && depth == 1)
                    || (type.equals("mdia") && depth == 2) || (type.equals("minf") && depth == 3)) {
                blanked += walk(channel, at + headerSize, at + size, depth + 1);
            }
            at += size;
        }
        return blanked;
    }

    /**
     * Zeroes the creation and modification times that open a movie, track or media header
     * (ISO/IEC 14496-12 §8.2.2, §8.3.2, §8.4.2: after version and flags, 32-bit times in version
     * 0, 64-bit in version 1). Zero is "not set"; players do not need them.
     */
    private static int zeroDates(FileChannel channel, long content, long length) throws IOException {
        ByteBuffer version = ByteBuffer.allocate(1);
        if (length < 1 || channel.read(version, content) < 1) {
            return 0;
        }
        int times = version.get(0) == 1 ? 16 : 8;
        if (length < 4 + times) {
            return 0;
        }
        ByteBuffer zeros = ByteBuffer.allocate(times);
        while (zeros.hasRemaining()) {
            channel.write(zeros, content + 4 + zeros.position());
        }
        return 1;
    }

    private static boolean isXmp(FileChannel channel, long at) throws IOException {
        ByteBuffer id = ByteBuffer.allocate(16);
        return channel.read(id, at) == 16 && Arrays.equals(id.array(), XMP_UUID);
    }

    private static void blank(FileChannel channel, long at, long size, int headerSize) throws IOException {
        channel.write(ByteBuffer.wrap(FREE), at + 4);
        zero(channel, at + headerSize, at + size);
    }

    private static void zero(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        for (long p = from; p < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - p));
            p += channel.write(zeros, p);
        }
    }
}
