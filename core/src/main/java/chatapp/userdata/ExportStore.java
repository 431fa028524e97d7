package chatapp.userdata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the data export jobs (docs/api.md, "Export"). Two adapters: SQLite (table
 * {@code exports}, V13) and DynamoDB (items of the {@code auth} table), both proven by
 * {@code ExportStoreContract}. Every read is by key or key range, never a scan.
 */
public interface ExportStore {

    /** Records a new job. */
    void create(ExportJob job);

    /** The job {@code exportId} of {@code userId}; empty if there is none (or it is another user's). */
    Optional<ExportJob> find(String userId, String exportId);

    /** Replaces the stored job by {@code job} (same user and id): its state, archive and expiry. */
    void save(ExportJob job);

    /** The jobs of {@code userId}, newest first (a key range). */
    List<ExportJob> byUser(String userId);

    /**
     * Up to {@code limit} jobs whose {@code expiresAt} is before {@code at}, soonest first, read by
     * an expiry index (SQLite: an index; DynamoDB: expiry items in one key range), never a scan.
     */
    List<ExportJob> expiredBefore(Instant at, int limit);

    /** Deletes the job; nothing happens if it is gone. */
    void delete(ExportJob job);
}
