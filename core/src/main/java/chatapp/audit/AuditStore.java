package chatapp.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The audit log's store (port; adapters {@code SqliteAuditStore}, {@code DynamoAuditStore}).
 * Append-only: an entry, once stored, is never changed; entries go only by expiry. The rules
 * ({@code AuditStoreContract}) hold on both: {@link #append} never overwrites, so two writers
 * that read the same chain head cannot both extend it (the chain never forks). Every read is by
 * key or index range, never a scan.
 */
public interface AuditStore {

    /** The newest entry of {@code chain} (highest seq), read consistently; empty for a new chain. */
    Optional<AuditEntry> head(String chain);

    /**
     * Stores {@code entry} if its chain has no entry with its seq yet.
     *
     * @return false, storing nothing, if that seq is taken (another writer extended the chain)
     */
    boolean append(AuditEntry entry);

    /** Entries of {@code chain} with seq after {@code afterSeq}, by seq, at most {@code limit}. */
    List<AuditEntry> chain(String chain, long afterSeq, int limit);

    /** Entries of {@code chain} with seq before {@code beforeSeq}, newest first, at most {@code limit}. */
    List<AuditEntry> chainNewestFirst(String chain, long beforeSeq, int limit);

    /**
     * Entries whose target is {@code target}, by {@link AuditEntry#position()} descending, before
     * {@code beforePosition} (null: from the newest), at most {@code limit}.
     */
    List<AuditEntry> byTarget(String target, String beforePosition, int limit);

    /**
     * Entries of the UTC day {@code day}, by {@link AuditEntry#position()}, after
     * {@code afterPosition} (null: from the first), at most {@code limit}.
     */
    List<AuditEntry> day(LocalDate day, String afterPosition, int limit);

    /**
     * Removes entries whose expiry is at or before {@code now}, at most {@code limit}, oldest
     * first; returns how many. SQLite: the purge job's work. DynamoDB: TTL removes them by
     * itself, so this returns 0.
     */
    int purgeExpired(Instant now, int limit);
}
