package chatapp.media;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored upload: a row of the {@code media} table (docs/architecture.md, "Data").
 *
 * @param mediaId opaque id ({@link chatapp.core.Ids#random()})
 * @param ownerId the uploader; the only user who may send it in a message
 * @param format what is stored (a cleaned photo may differ from the upload: WebP is stored as
 *     JPEG or PNG)
 * @param size bytes of the stored original
 * @param width pixels, null if unknown (some videos)
 * @param height pixels, null if unknown
 * @param durationMs videos only, null if unknown
 * @param originalKey where the stored original is, in {@link MediaFiles}
 * @param thumbnailKey where the JPEG thumbnail (a video's poster frame) is, null if there is none (a
 *     video accepted while no decoder was installed)
 */
public record Media(String mediaId, String ownerId, MediaFormat format, long size, Integer width, Integer height,
        Long durationMs, String originalKey, String thumbnailKey, Instant createdAt) {

    /** Thumbnails are always JPEG. */
    public static final String THUMBNAIL_CONTENT_TYPE = "image/jpeg";

    public Media {
        Objects.requireNonNull(mediaId);
        Objects.requireNonNull(ownerId);
        Objects.requireNonNull(format);
        Objects.requireNonNull(originalKey);
        Objects.requireNonNull(createdAt);
    }
}
