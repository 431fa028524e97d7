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
 *
 * <p>Keys are {@code <mediaId>/<variant>}. A message's photo or video is {@code original} and
 * {@code thumbnail}; a profile photo ({@link Avatars}) is {@code avatar} and
 * {@code avatar-thumbnail}, so that every store can tell an avatar from its key alone: message
 * retention removes messages' media and never an avatar (docs/audit.md, "Retention").
 */
public record Media(String mediaId, String ownerId, MediaFormat format, long size, Integer width, Integer height,
        Long durationMs, String originalKey, String thumbnailKey, Instant createdAt) {

    /** Thumbnails are always JPEG. */
    public static final String THUMBNAIL_CONTENT_TYPE = "image/jpeg";

    /** The variants (last part of a key) of a message's photo or video. */
    static final String ORIGINAL = "original";
    static final String THUMBNAIL = "thumbnail";
    /** The variants of a profile photo: never removed by message retention. */
    static final String AVATAR = "avatar";
    static final String AVATAR_THUMBNAIL = "avatar-thumbnail";

    public Media {
        Objects.requireNonNull(mediaId);
        Objects.requireNonNull(ownerId);
        Objects.requireNonNull(format);
        Objects.requireNonNull(originalKey);
        Objects.requireNonNull(createdAt);
    }

    /** Whether this is a profile photo ({@link Avatars}), by its key. */
    public boolean isAvatar() {
        return originalKey.endsWith("/" + AVATAR);
    }

    /**
     * Whether the bytes under {@code key} go when the deployment's message retention removes
     * messages: a message's photo, video or thumbnail does; a profile photo, or anything else
     * (an export archive), does not (docs/audit.md, "Retention").
     */
    public static boolean expiresWithMessages(String key) {
        return key.endsWith("/" + ORIGINAL) || key.endsWith("/" + THUMBNAIL);
    }
}
