package chatapp.userdata;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One data export of one user (docs/api.md, "Export"), as {@link ExportStore} keeps it.
 *
 * @param archiveKey where the archive is in {@link chatapp.media.MediaFiles}; null until ready
 * @param size bytes of the archive; 0 until ready
 * @param expiresAt when the job and its archive are deleted: a day after the request while it is
 *     pending or running (a job whose process died is cleaned up), {@link DataExport#ARCHIVE_LIFETIME}
 *     after it is ready
 */
public record ExportJob(String exportId, String userId, State state, Instant createdAt, String archiveKey, long size,
        Instant expiresAt) {

    public ExportJob {
        Objects.requireNonNull(exportId);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(state);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(expiresAt);
    }

    /** Where an export is. */
    public enum State {
        PENDING, RUNNING, READY, FAILED;

        /** The lower-case name of the API. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state of a wire name. */
        public static State fromWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** This job in {@code next} state, with its archive and expiry. */
    ExportJob with(State next, String key, long bytes, Instant expires) {
        return new ExportJob(exportId, userId, next, createdAt, key, bytes, expires);
    }
}
