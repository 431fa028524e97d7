package chatapp.userdata;

import chatapp.chat.ChatStore;
import chatapp.chat.Message;
import chatapp.media.Media;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * How long messages and the photos and videos they carry are kept (issue 22; docs/audit.md,
 * "Retention"): optional, per deployment ({@code chatapp.retention.messages}, e.g. {@code P365D};
 * off by default). On one machine a job runs {@link #sweep} (the server, hourly); in the AWS shape
 * DynamoDB's TTL deletes expired messages and reads leave out the expired ones TTL has not deleted
 * yet (see {@code DynamoChatStore}).
 */
public final class Retention {

    /** Messages deleted per store write. */
    static final int CHUNK = 200;

    private final ChatStore chats;
    private final MediaStore media;
    private final MediaFiles files;
    private final Clock clock;
    private final Duration keep;

    /** @param keep how long a message is kept after it was sent (positive) */
    public Retention(ChatStore chats, MediaStore media, MediaFiles files, Clock clock, Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + keep);
        }
        this.chats = Objects.requireNonNull(chats);
        this.media = Objects.requireNonNull(media);
        this.files = Objects.requireNonNull(files);
        this.clock = Objects.requireNonNull(clock);
        this.keep = keep;
    }

    /**
     * Deletes every message older than the retention, with its photo or video, in the
     * conversations that {@code conversations} lists: (the id to list after, null first; how many)
     * to the next ids in id order, fewer at the end.
     *
     * @return how many messages it deleted
     */
    public int sweep(BiFunction<String, Integer, List<String>> conversations) {
        Instant cutoff = clock.instant().minus(keep);
        int deleted = 0;
        String after = null;
        while (true) {
            List<String> ids = conversations.apply(after, 100);
            for (String id : ids) {
                List<Message> gone;
                do {
                    gone = chats.deleteMessagesBefore(id, cutoff, CHUNK);
                    for (Message m : gone) {
                        if (m.media() != null) {
                            deleteMedia(m.media().mediaId());
                        }
                    }
                    deleted += gone.size();
                } while (gone.size() == CHUNK);
            }
            if (ids.size() < 100) {
                return deleted;
            }
            after = ids.getLast();
        }
    }

    private void deleteMedia(String mediaId) {
        Optional<Media> found = media.find(mediaId);
        if (found.isEmpty() || found.get().isAvatar()) {
            return; // a profile photo outlives messages (no message may carry one: media.Attachments)
        }
        files.delete(found.get().originalKey());
        if (found.get().thumbnailKey() != null) {
            files.delete(found.get().thumbnailKey());
        }
        media.delete(mediaId);
    }
}
