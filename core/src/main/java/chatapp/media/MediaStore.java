package chatapp.media;

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

    /** Whether {@link #addViewer} was called for this pair; a key lookup. */
    boolean isViewer(String mediaId, String viewerId);
}
