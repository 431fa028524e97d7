package chatapp.media;

import java.util.Objects;
import java.util.Optional;

/**
 * Makes a photo or video unreachable for good: its bytes (original and thumbnail), then its
 * record, as account deletion and retention do (docs/audit.md). Used when its sender deletes the
 * message that carried it (docs/decisions/0043-message-lifecycle.md).
 */
public final class Erasure {

    private final MediaStore store;
    private final MediaFiles files;

    public Erasure(MediaStore store, MediaFiles files) {
        this.store = Objects.requireNonNull(store);
        this.files = Objects.requireNonNull(files);
    }

    /** Erases {@code mediaId}; an unknown (or already erased) id is left as it is. Idempotent. */
    public void erase(String mediaId) {
        Optional<Media> found = store.find(mediaId);
        if (found.isEmpty()) {
            return;
        }
        Media m = found.get();
        // bytes first: a record without bytes is a 404 to its viewers; bytes without a record would be lost track of
        files.delete(m.originalKey());
        if (m.thumbnailKey() != null) {
            files.delete(m.thumbnailKey());
        }
        store.delete(mediaId);
    }
}
