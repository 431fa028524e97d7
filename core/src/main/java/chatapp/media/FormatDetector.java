package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.apache.tika.Tika;

/**
 * Decides an upload's format from its first bytes with Apache Tika's magic-number detection,
 * then refines what tika-core cannot tell apart by magic alone: an ISO media file is QuickTime
 * only if its major brand says so ({@code qt  }), else MP4; a Matroska file is WebM only if its
 * EBML {@code DocType} is {@code webm}.
 */
final class FormatDetector {

    /** Enough for every magic number Tika checks for these formats. */
    static final int HEAD_BYTES = 64 * 1024;

    private static final Tika TIKA = new Tika();

    private FormatDetector() {
    }

    /** @throws ChatAppException 415 {@code unsupported_media} naming what was found instead */
    static MediaFormat detect(byte[] head) {
        String detected = TIKA.detect(head);
        MediaFormat format = switch (detected) {
            case "image/jpeg" -> MediaFormat.JPEG;
            case "image/png" -> MediaFormat.PNG;
            case "image/gif" -> MediaFormat.GIF;
            case "image/webp" -> MediaFormat.WEBP;
            case "video/mp4", "video/x-m4v" -> MediaFormat.MP4;
            case "video/quicktime" -> "qt  ".equals(majorBrand(head)) ? MediaFormat.QUICKTIME
                    : majorBrand(head) != null ? MediaFormat.MP4 : null;
            case "application/x-matroska", "video/x-matroska", "video/webm" ->
                    "webm".equals(ebmlDocType(head)) ? MediaFormat.WEBM : null;
            default -> null;
        };
        if (format == null) {
            throw new ChatAppException(ErrorCode.UNSUPPORTED_MEDIA, "the file is " + describe(detected, head)
                    + "; accepted are JPEG, PNG, GIF and WebP photos and MP4, WebM and QuickTime videos");
        }
        return format;
    }

    private static String describe(String detected, byte[] head) {
        if (detected.startsWith("application/x-matroska")) {
            return "a Matroska file that is not WebM";
        }
        return "of type " + detected;
    }

    /** The major brand of an ISO base media file ({@code ftyp} box first), or null. */
    static String majorBrand(byte[] head) {
        if (head.length < 12 || !"ftyp".equals(new String(head, 4, 4, StandardCharsets.ISO_8859_1))) {
            return null;
        }
        return new String(head, 8, 4, StandardCharsets.ISO_8859_1);
    }

    /**
     * The {@code DocType} (element id {@code 0x4282}) inside the EBML header (id
     * {@code 0x1A45DFA3}) that starts every Matroska/WebM file, or null.
     */
    static String ebmlDocType(byte[] head) {
        if (head.length < 8 || (head[0] & 0xff) != 0x1a || (head[1] & 0xff) != 0x45
                || (head[2] & 0xff) != 0xdf || (head[3] & 0xff) != 0xa3) {
            return null;
        }
        int limit = Math.min(head.length, 128);
        for (int i = 4; i + 2 < limit; i++) {
            if ((head[i] & 0xff) == 0x42 && (head[i + 1] & 0xff) == 0x82) {
                int sizeByte = head[i + 2] & 0xff;
                int width = Integer.numberOfLeadingZeros(sizeByte) - 23; // EBML varint: leading zeros + 1
                if (width < 1 || width > 8 || i + 2 + width > limit) {
                    return null;
                }
                long size = sizeByte & (0xff >> width);
                for (int k = 1; k < width; k++) {
                    size = (size << 8) | (head[i + 2 + k] & 0xff);
                }
                int start = i + 2 + width;
                if (size > 32 || start + size > head.length) {
                    return null;
                }
                return new String(head, start, (int) size, StandardCharsets.US_ASCII).replace("\0", "");
            }
        }
        return null;
    }
}
