package chatapp.media;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Deletes uploads that no message ever used, once older than the configured age (issue 19;
 * docs/media.md, "Uploads never sent"): the record first, only if still unattached
 * ({@link MediaStore#deleteUnattached}), then its files. A message never loses its media: sending
 * one attaches it (a viewer) before the message is stored, and an upload deleted in between is
 * refused by {@link MediaService#attach}. Stateless over the store: any node may run it at any
 * time, several at once, and a restart loses nothing.
 */
public final class UnattachedUploads {

    /** Records read per query. */
    static final int PAGE = 100;

    private static final System.Logger log = System.getLogger(UnattachedUploads.class.getName());

    private final MediaStore store;
    private final MediaFiles files;
    private final Clock clock;
    private final Duration age;

    /**
     * @param age an upload never sent is deleted once older than this (default 24 hours)
     * @throws IllegalArgumentException if {@code age} is not positive
     */
    public UnattachedUploads(MediaStore store, MediaFiles files, Clock clock, Duration age) {
        this.store = Objects.requireNonNull(store);
        this.files = Objects.requireNonNull(files);
        this.clock = Objects.requireNonNull(clock);
        if (age.isNegative() || age.isZero()) {
            throw new IllegalArgumentException("the age of unattached uploads must be positive: " + age);
        }
        this.age = age;
    }

    /**
     * One sweep: deletes every upload never sent that is older than the age, page by page.
     *
     * @return how many were deleted
     */
    public int sweep() {
        int deleted = 0;
        while (true) {
            List<Media> page = store.unattachedBefore(clock.instant().minus(age), PAGE);
            int deletedHere = 0;
            for (Media media : page) {
                if (store.deleteUnattached(media.mediaId())) {
                    deleteFiles(media);
                    deletedHere++;
                }
            }
            deleted += deletedHere;
            // a short page is the last; a page of attached ones only (an index not yet up to
            // date) would come back the same, so stop there too
            if (page.size() < PAGE || deletedHere == 0) {
                return deleted;
            }
        }
    }

    private void deleteFiles(Media media) {
        for (String key : new String[] {media.originalKey(), media.thumbnailKey()}) {
            if (key == null) {
                continue;
            }
            try {
                files.delete(key);
            } catch (RuntimeException e) {
                // the record is gone: nobody can reach the bytes any more; the next sweep cannot see them
                log.log(System.Logger.Level.WARNING, "could not delete the file of an unattached upload "
                        + media.mediaId() + ": " + e);
            }
        }
    }
}
