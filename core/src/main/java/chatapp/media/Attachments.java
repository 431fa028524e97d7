package chatapp.media;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.util.Objects;

/**
 * Which upload a message may carry (API.md, "Message": an {@code image} or {@code video} message
 * names a {@code mediaId}): only the sender's own, and only as its kind. Needs the media records
 * alone, never the bytes, so every place that accepts a message (REST, the built-in gateway, the
 * Lambda) can check it.
 */
public final class Attachments {

    private final MediaStore store;

    public Attachments(MediaStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /**
     * Checks that {@code senderId} may send {@code mediaId} as a message of
     * {@code messageContentType} ({@code image} or {@code video}), attaches it to that one message
     * and lets {@code recipientId} see it. Call before the message is stored, so a message never
     * exists whose recipient cannot open its media. An upload is sent in at most one message
     * (docs/decisions/0052-one-message-per-upload.md): deleting a message erases its media, which
     * must then be no other message's.
     *
     * @return the media, for the message's {@code media} object
     * @throws AlreadySent (409 {@code conflict}) if a message already carries the upload; a caller
     *     that replays a send must look for its original before answering this
     * @throws ChatAppException 400 {@code validation_failed} (field {@code content.value}) if the
     *     media is unknown, not the sender's (indistinguishable, so ids do not leak), the sender's
     *     profile photo (it must outlive the message's retention and erasure), or a photo sent as a
     *     video or the reverse
     */
    public Media attach(String senderId, String mediaId, String messageContentType, String recipientId) {
        Media media = store.find(mediaId)
                .filter(m -> m.ownerId().equals(senderId))
                .orElseThrow(() -> ChatAppException.invalid("content.value", "is not the id of an upload of yours"));
        if (media.isAvatar()) {
            throw ChatAppException.invalid("content.value", "is your profile photo; upload the photo to send it");
        }
        if (!media.format().messageContentType().equals(messageContentType)) {
            throw ChatAppException.invalid("content.contentType", "the upload is a " + media.format().messageContentType()
                    + ", not a " + messageContentType);
        }
        if (!store.attachOnce(mediaId, recipientId)) {
            if (store.find(mediaId).isEmpty()) {
                // deleted as never sent (UnattachedUploads) between the read above and the attach
                throw ChatAppException.invalid("content.value", "is not the id of an upload of yours");
            }
            throw new AlreadySent(media.format().isImage() ? "photo" : "video");
        }
        return media;
    }

    /**
     * Gives back an upload that {@link #attach} attached for a message that was not stored (its
     * write failed; the caller has checked): a retry of the send can attach it again, and if none
     * comes, the sweep of uploads never sent deletes it. No effect unless {@code recipientId} is
     * its one viewer.
     */
    public void release(String mediaId, String recipientId) {
        store.detach(mediaId, recipientId);
    }

    /**
     * 409 {@code conflict}: the upload is already carried by a message (API.md, "Send a message").
     * A client sends the same picture again by uploading it again.
     */
    public static final class AlreadySent extends ChatAppException {
        AlreadySent(String kind) {
            super(ErrorCode.CONFLICT, "this " + kind + " was already sent; upload it again to send it again");
        }
    }
}
