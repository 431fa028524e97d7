package chatapp.media;

import chatapp.account.Profiles;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Avatar photos (issue 21; API.md {@code PUT/DELETE /users/me/avatar}). An avatar is an upload
 * like any other: it goes through {@link MediaService#upload} (checked by its bytes, re-encoded,
 * stripped of metadata, thumbnailed, held to the account's {@link UploadLimits}), but only a photo
 * is accepted. It is stored under the avatar's keys ({@link Media#isAvatar}), so message retention
 * never removes it and no message may carry it. Its record names the owner as a viewer, so that {@link UnattachedUploads} leaves it
 * alone; replacing or removing the avatar deletes the old one's record and bytes. Who may see it
 * is who may see the profile: the caller of {@link #link} has checked that (docs/security.md,
 * "Profiles").
 */
public final class Avatars {

    private final MediaService media;
    private final MediaStore store;
    private final MediaFiles files;
    private final Profiles profiles;

    public Avatars(MediaService media, MediaStore store, MediaFiles files, Profiles profiles) {
        this.media = Objects.requireNonNull(media);
        this.store = Objects.requireNonNull(store);
        this.files = Objects.requireNonNull(files);
        this.profiles = Objects.requireNonNull(profiles);
    }

    /**
     * Receives a photo and makes it {@code userId}'s avatar, deleting the one it replaces.
     *
     * @param declaredBytes the body's declared length, negative if unknown
     * @return the stored photo
     * @throws ChatAppException as {@link MediaService#upload(String, long, InputStream)}; 415
     *     {@code unsupported_media} for a video (nothing is kept); {@code conflict} if the profile
     *     kept changing meanwhile (nothing is kept)
     */
    public Media replace(String userId, long declaredBytes, InputStream body) {
        Media photo = media.uploadAvatar(userId, declaredBytes, body);
        if (!photo.format().isImage()) {
            deleteStored(photo);
            throw new ChatAppException(ErrorCode.UNSUPPORTED_MEDIA,
                    "an avatar must be a photo (JPEG, PNG, GIF or WebP), not a video");
        }
        store.addViewer(photo.mediaId(), userId); // in use: not an upload waiting to be sent
        String previous;
        try {
            previous = profiles.replaceAvatar(userId, photo.mediaId());
        } catch (RuntimeException e) {
            deleteStored(photo);
            throw e;
        }
        delete(previous);
        return photo;
    }

    /**
     * Removes {@code userId}'s avatar, deleting its record and bytes.
     *
     * @return whether there was one
     */
    public boolean remove(String userId) {
        String previous = profiles.replaceAvatar(userId, null);
        delete(previous);
        return previous != null;
    }

    /**
     * A short-lived link to {@code userId}'s avatar (the same signed links as every photo,
     * {@link MediaFiles#url}). The caller has checked that the asker may see this profile.
     *
     * @throws ChatAppException 404 if the user has no avatar
     */
    public URI link(String userId, MediaService.Variant variant) {
        String mediaId = profiles.of(userId).avatarMediaId();
        Media photo = Optional.ofNullable(mediaId).flatMap(store::find)
                .orElseThrow(() -> ChatAppException.notFound("this user has no avatar"));
        return media.linkTo(photo, variant);
    }

    /** Deletes an avatar's bytes, then its record (as account deletion does); null or unknown: nothing. */
    public void delete(String mediaId) {
        if (mediaId != null) {
            store.find(mediaId).ifPresent(this::deleteStored);
        }
    }

    private void deleteStored(Media m) {
        files.delete(m.originalKey());
        if (m.thumbnailKey() != null) {
            files.delete(m.thumbnailKey());
        }
        store.delete(m.mediaId());
    }
}
