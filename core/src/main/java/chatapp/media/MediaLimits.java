package chatapp.media;

/**
 * How large an upload may be (issue 7; configurable): photos and videos by their size in bytes as
 * uploaded, photos also by their pixel count, which bounds the memory that decoding one takes
 * (a small compressed file can hold a huge picture).
 *
 * @param imageMaxBytes largest photo upload, bytes (default 10 MiB)
 * @param videoMaxBytes largest video upload, bytes (default 100 MiB)
 * @param maxPixels largest photo in pixels (width × height; for an animated GIF its canvas
 *     times its frames), default 50 million; also the largest size a photo may declare (a
 *     GIF's canvas, a WebP's frame header), docs/media.md
 */
public record MediaLimits(long imageMaxBytes, long videoMaxBytes, long maxPixels) {

    /** 10 MiB photos, 100 MiB videos, 50 megapixels. */
    public static final MediaLimits DEFAULTS = new MediaLimits(10L << 20, 100L << 20, 50_000_000L);

    public MediaLimits {
        if (imageMaxBytes < 1 || videoMaxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("media limits must be positive");
        }
    }

    /** The largest upload of {@code format}, in bytes. */
    public long maxBytes(MediaFormat format) {
        return format.isImage() ? imageMaxBytes : videoMaxBytes;
    }

    /** The largest upload of any format, in bytes: what the HTTP layer may accept at most. */
    public long largest() {
        return Math.max(imageMaxBytes, videoMaxBytes);
    }
}
