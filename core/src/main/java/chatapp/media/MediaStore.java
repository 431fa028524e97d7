package chatapp.media;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the {@code media} records (one per upload) and who besides the owner may see each.
 * Two adapters, SQLite and DynamoDB, both proven by {@code MediaStoreContract}. Every read is
 * by key.
 */
public interface MediaStore {

    /**
     * Records a new upload.
     *
     * @throws IllegalStateException if a record with this id exists (ids are random: a bug)
     */
    void create(Media media);

    /** The record with this id, read by key. */
    Optional<Media> find(String mediaId);

    /**
     * Lets {@code viewerId} see the media because a message to them references it. Idempotent:
     * a replayed send records nothing twice. Unknown {@code mediaId}: no effect.
     */
    void addViewer(String mediaId, String viewerId);

    /**
     * Attaches the upload to its one message (docs/decisions/0052-one-message-per-upload.md): lets
     * {@code viewerId} see it and marks it attached, in one write, only if no message uses it yet
     * ({@link #addViewer} never called). Of two attaches at once, exactly one succeeds, so an
     * upload is never carried by two messages and deleting one message never erases another's
     * photo.
     *
     * @return whether this call attached it (false: already attached, or unknown)
     */
    boolean attachOnce(String mediaId, String viewerId);

    /**
     * Undoes {@link #attachOnce} when the message was not stored after all (its write failed):
     * removes {@code viewerId} and makes the upload unattached again, so a retry of the send can
     * attach it and, if none comes, the sweep of uploads never sent deletes it. Only if
     * {@code viewerId} is its one viewer; otherwise (or unknown media) no effect.
     *
     * @return whether it detached the upload
     */
    boolean detach(String mediaId, String viewerId);

    /** Whether {@link #addViewer} was called for this pair; a key lookup. */
    boolean isViewer(String mediaId, String viewerId);

    /**
     * Uploads no message uses (no {@link #addViewer} yet) created before {@code cutoff}, oldest
     * first, at most {@code limit}: read by an index of the unattached ones only (SQLite: the
     * partial index {@code media_unattached}; DynamoDB: the sparse index {@code by-unattached}),
     * never a scan, so the cost grows with what is found. The DynamoDB index is eventually
     * consistent: an upload attached a moment ago may still be listed; {@link #deleteUnattached}
     * decides.
     */
    List<Media> unattachedBefore(Instant cutoff, int limit);

    /**
     * Deletes the record of {@code mediaId} only if no message uses it yet, atomically with
     * respect to {@link #addViewer}: whichever comes first wins, so a message never references a
     * deleted record (issue 19; docs/media.md, "Uploads never sent").
     *
     * @return whether it deleted the record (false: attached meanwhile, or unknown)
     */
    boolean deleteUnattached(String mediaId);

    /**
     * Deletes the record of {@code mediaId} and its viewers, attached or not (account deletion
     * and retention: the message that carried it is gone or a tombstone). Its bytes are the
     * caller's to delete from {@link MediaFiles}. Unknown id: no effect.
     *
     * @return whether it deleted a record
     */
    boolean delete(String mediaId);
}
