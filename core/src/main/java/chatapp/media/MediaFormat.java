package chatapp.media;

import java.util.Optional;

/**
 * The photo and video formats ChatApp accepts (issue 7), always decided from the bytes of an
 * upload, never from its name or declared type.
 */
public enum MediaFormat {
    JPEG("image/jpeg", "jpg", true),
    PNG("image/png", "png", true),
    GIF("image/gif", "gif", true),
    WEBP("image/webp", "webp", true),
    MP4("video/mp4", "mp4", false),
    WEBM("video/webm", "webm", false),
    QUICKTIME("video/quicktime", "mov", false);

    private final String contentType;
    private final String extension;
    private final boolean image;

    MediaFormat(String contentType, String extension, boolean image) {
        this.contentType = contentType;
        this.extension = extension;
        this.image = image;
    }

    /** The MIME type, e.g. {@code image/jpeg}: what {@code contentType} says in API.md's media object. */
    public String contentType() {
        return contentType;
    }

    /** The usual file name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** True for photos, false for videos. */
    public boolean isImage() {
        return image;
    }

    /** The message {@code contentType} (API.md) that carries this format: {@code image} or {@code video}. */
    public String messageContentType() {
        return image ? "image" : "video";
    }

    /** The format whose MIME type is {@code contentType}, if ChatApp accepts it. */
    public static Optional<MediaFormat> ofContentType(String contentType) {
        for (MediaFormat f : values()) {
            if (f.contentType.equals(contentType)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
