package chatapp.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audit entry as stored: what happened (time, actor, action, target, session, client
 * address, outcome, a few details such as a page cursor or a media variant; never message text,
 * media content or file names) and its place in its chain (docs/decisions/0034-audit-chain.md):
 * {@code seq} from 1 without gaps, the hash and expiry of the entry before it, and its own
 * {@link #hash}, a SHA-256 over every other field.
 *
 * @param chain the chain it belongs to ({@link AuditLog#chainOf})
 * @param seq its number in the chain, from 1
 * @param at when, to the millisecond; never earlier than the previous entry of the chain
 * @param actor user id, {@link Who#OPERATOR}, or null when unknown
 * @param target what was acted on (conversation, media, session or user id, a command), or null
 * @param detail a few short values (sorted), never message text or media names
 * @param outcome {@code success} or the error code of the refusal ({@code not_found}, ...)
 * @param previousHash the hash of entry {@code seq - 1}; {@link #GENESIS} for seq 1
 * @param previousExpiresAt when entry {@code seq - 1} may expire; null for seq 1
 * @param expiresAt when this entry may be removed (its time plus the retention)
 * @param hash {@link #computeHash()} as computed when it was written
 */
public record AuditEntry(String chain, long seq, Instant at, String actor, AuditAction action, String target,
        Map<String, String> detail, String session, String address, String outcome, String previousHash,
        Instant previousExpiresAt, Instant expiresAt, String hash) {

    /** The previous hash of the first entry of every chain. */
    public static final String GENESIS = "0".repeat(64);

    /** The outcome of an action that was done. */
    public static final String SUCCESS = "success";

    public AuditEntry {
        detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(detail));
    }

    /** The UTC day of {@link #at}: the partition entries are listed by (export, verify). */
    public LocalDate day() {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * Where the entry sorts among all entries: by time, then chain, then seq. Within one chain
     * this is seq order (times never go back within a chain), so listing by position walks
     * every chain in order.
     */
    public String position() {
        return String.format("%013d#%s#%019d", at.toEpochMilli(), chain, seq);
    }

    /** This entry with {@code hash} set to {@link #computeHash()}. */
    public AuditEntry sealed() {
        return new AuditEntry(chain, seq, at, actor, action, target, detail, session, address, outcome, previousHash,
                previousExpiresAt, expiresAt, computeHash());
    }

    /**
     * SHA-256 (hex) over every field but {@code hash}, each length-prefixed so that no two
     * different entries give the same text.
     */
    public String computeHash() {
        StringBuilder text = new StringBuilder("chatapp-audit-v1");
        field(text, chain);
        field(text, Long.toString(seq));
        field(text, Long.toString(at.toEpochMilli()));
        field(text, actor);
        field(text, action.name());
        field(text, target);
        field(text, Integer.toString(detail.size()));
        detail.forEach((k, v) -> {
            field(text, k);
            field(text, v);
        });
        field(text, session);
        field(text, address);
        field(text, outcome);
        field(text, previousHash);
        field(text, previousExpiresAt == null ? null : Long.toString(previousExpiresAt.toEpochMilli()));
        field(text, Long.toString(expiresAt.toEpochMilli()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("|-");
        } else {
            text.append('|').append(value.length()).append(':').append(value);
        }
    }
}
