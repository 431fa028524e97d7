package chatapp.audit;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.CursorCodec;
import chatapp.core.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log (docs/audit.md): records who did what, keeps each chain of entries linked by
 * hash, verifies the links, lists a user's security activity and a conversation's openings,
 * exports entries, and purges what has expired. Chains are per kind of action and per account
 * (docs/decisions/0034-audit-chain.md): appends to one chain from several nodes never fork it,
 * because {@link AuditStore#append} takes each seq once and a loser re-reads the head.
 */
public final class AuditLog {

    /** Six years: HIPAA's retention of documentation (45 CFR 164.316(b)(2)), the default of {@code chatapp.audit.retention}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(6 * 365 + 2);

    /** How far before the retention {@link #verify()} starts looking, for entries DynamoDB's TTL has not removed yet. */
    static final Duration VERIFY_MARGIN = Duration.ofDays(400);

    /** The actions of a conversation's activity ({@link #conversationActivity}). */
    private static final Set<AuditAction> CONVERSATION_ACTIONS = EnumSet.of(AuditAction.CONVERSATION_REQUESTED,
            AuditAction.CONVERSATION_OPENED, AuditAction.CONVERSATION_ACCEPTED, AuditAction.CONVERSATION_DECLINED,
            AuditAction.CONVERSATION_BLOCKED, AuditAction.CONVERSATION_UNBLOCKED, AuditAction.HISTORY_READ);

    private static final int MAX_TRIES = 100;
    /** The longest target or detail value kept, in characters (a cursor is at most 2048, most ids 22). */
    static final int MAX_VALUE = 256;
    private static final int BATCH = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AuditStore store;
    private final CursorCodec cursors;
    private final Clock clock;
    private final Duration retention;

    /**
     * @param retention how long entries are kept (at least one day); {@code chatapp.audit.retention}
     */
    public AuditLog(AuditStore store, CursorCodec cursors, Clock clock, Duration retention) {
        this.store = Objects.requireNonNull(store);
        this.cursors = Objects.requireNonNull(cursors);
        this.clock = Objects.requireNonNull(clock);
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("audit retention must be at least one day, not " + retention);
        }
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * The chain an entry goes to: the kind of action and the account it concerns, that is the
     * actor, or for an action without one the target (a failed sign-in goes to the account
     * whose email was tried; a signed-link download to the media item); else one chain per day.
     */
    static String chainOf(Who who, AuditAction action, String target, Instant at) {
        String subject = who.actor() != null ? who.actor()
                : target != null ? target
                : "anonymous#" + LocalDate.ofInstant(at, ZoneOffset.UTC);
        return action.kind().name().toLowerCase(java.util.Locale.ROOT) + "#" + subject;
    }

    /** The chain of an account's security entries ({@code GET /users/me/activity}). */
    static String securityChain(String userId) {
        return "security#" + userId;
    }

    /**
     * Appends one entry to its chain and returns it as stored.
     *
     * @param target what was acted on; null for none
     * @param detail a few short values; never message text, media content or names
     * @param outcome {@link AuditEntry#SUCCESS} or an error code
     * @throws IllegalStateException if the chain stayed contended through every try
     */
    public AuditEntry record(Who who, AuditAction action, String target, Map<String, String> detail, String outcome) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // the target and details may come from a request: bounded, so an entry stays small
        target = clip(target);
        Map<String, String> details = new java.util.TreeMap<>();
        (detail == null ? Map.<String, String>of() : detail).forEach((k, v) -> details.put(clip(k), clip(v)));
        String chain = chainOf(who, action, target, now);
        for (int attempt = 1; ; attempt++) {
            Optional<AuditEntry> head = store.head(chain);
            // Times never go back within a chain (nodes' clocks differ a little), so listing by time walks it in order.
            Instant at = head.map(AuditEntry::at).filter(t -> t.isAfter(now)).orElse(now);
            // Expiry never goes back within a chain either: a shortened retention cannot expire the middle of one.
            Instant expiresAt = head.map(AuditEntry::expiresAt).filter(t -> t.isAfter(at.plus(retention)))
                    .orElse(at.plus(retention));
            AuditEntry entry = new AuditEntry(chain, head.map(h -> h.seq() + 1).orElse(1L), at, who.actor(), action,
                    target, details, who.session(), who.address(), outcome,
                    head.map(AuditEntry::hash).orElse(AuditEntry.GENESIS), head.map(AuditEntry::expiresAt).orElse(null),
                    expiresAt, null).sealed();
            if (store.append(entry)) {
                return entry;
            }
            if (attempt >= MAX_TRIES) {
                throw new IllegalStateException("audit chain " + chain + " stayed contended for " + MAX_TRIES + " tries");
            }
            // another node extended the chain first: read its new head and try again
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(Math.min(50, 1L << Math.min(attempt, 6)) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while appending to the audit log", e);
            }
        }
    }

    /** Values longer than {@link #MAX_VALUE} characters are cut there. */
    private static String clip(String value) {
        return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
    }

    /** As {@link #record(Who, AuditAction, String, Map, String)} for an action that was done. */
    public AuditEntry record(Who who, AuditAction action, String target, Map<String, String> detail) {
        return record(who, action, target, detail, AuditEntry.SUCCESS);
    }

    /**
     * Runs {@code work} and records its outcome: {@link AuditEntry#SUCCESS}, or the error code
     * of the {@link ChatAppException} it threw (which is then rethrown). Other failures are not
     * the caller's doing and are not recorded.
     */
    public <T> T around(Who who, AuditAction action, String target, Map<String, String> detail, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (ChatAppException e) {
            // A refusal by a rate limit is not an attempt at the action: recording each would let
            // one account grow the append-only log without bound (the limits are in the metrics).
            if (e.code() != ErrorCode.RATE_LIMITED) {
                record(who, action, target, detail, e.code().code());
            }
            throw e;
        }
        record(who, action, target, detail, AuditEntry.SUCCESS);
        return result;
    }

    /** For the account deletion of issue 22: the account {@code userId} was deleted by {@code who}. */
    public AuditEntry accountDeleted(Who who, String userId) {
        return record(who, AuditAction.ACCOUNT_DELETED, userId, Map.of());
    }

    /** For the data export of issue 22: {@code who} exported their data, archive {@code exportId}. */
    public AuditEntry dataExported(Who who, String exportId) {
        return record(who, AuditAction.DATA_EXPORTED, exportId, Map.of());
    }

    /** A message edited by its sender: which message of which conversation; never its text (neither the old nor the new). */
    public AuditEntry messageEdited(Who who, String conversationId, String messageId) {
        return record(who, AuditAction.MESSAGE_EDITED, conversationId, Map.of("messageId", messageId));
    }

    /** A message deleted for everyone by its sender: which message of which conversation; never its content. */
    public AuditEntry messageDeleted(Who who, String conversationId, String messageId) {
        return record(who, AuditAction.MESSAGE_DELETED, conversationId, Map.of("messageId", messageId));
    }

    /**
     * The account's security entries (sign-ins, failed ones included, sign-outs, sessions ended,
     * password changes), newest first.
     *
     * @throws ChatAppException 400 for a bad limit or cursor
     */
    public Page<AuditEntry> accountActivity(String userId, Integer limit, String cursor) {
        int size = Page.limit(limit);
        String scope = "audit-account:" + userId;
        String position = cursors.decode(scope, cursor);
        long before = position == null ? Long.MAX_VALUE : Long.parseLong(position);
        List<AuditEntry> items = store.chainNewestFirst(securityChain(userId), before, size + 1);
        String next = items.size() > size ? Long.toString(items.get(size - 1).seq()) : null;
        return new Page<>(items.subList(0, Math.min(size, items.size())), cursors.encode(scope, next));
    }

    /**
     * Who of {@code participants} opened, requested, answered or read the conversation when,
     * newest first; refused attempts are left out. A page may hold fewer than {@code limit}
     * items while its cursor is set.
     *
     * @throws ChatAppException 400 for a bad limit or cursor
     */
    public Page<AuditEntry> conversationActivity(String conversationId, Set<String> participants, Integer limit,
            String cursor) {
        int size = Page.limit(limit);
        String scope = "audit-conversation:" + conversationId;
        String before = cursors.decode(scope, cursor);
        List<AuditEntry> read = store.byTarget(conversationId, before, size + 1);
        String next = read.size() > size ? read.get(size - 1).position() : null;
        List<AuditEntry> items = read.subList(0, Math.min(size, read.size())).stream()
                .filter(e -> CONVERSATION_ACTIONS.contains(e.action()) && AuditEntry.SUCCESS.equals(e.outcome())
                        && participants.contains(e.actor()))
                .toList();
        return new Page<>(items, cursors.encode(scope, next));
    }

    /** The first broken link {@link #verify} found. */
    public record Break(String chain, long seq, Instant at, String reason) {
    }

    /**
     * What {@link #verify} checked: how many entries and chains, and the first broken link
     * (null when every link holds).
     */
    public record Verification(long entries, int chains, Break firstBreak) {
        public boolean intact() {
            return firstBreak == null;
        }
    }

    /** {@link #verify(LocalDate)} from the oldest day an entry may still be stored on. */
    public Verification verify() {
        return verify(LocalDate.ofInstant(clock.instant().minus(retention).minus(VERIFY_MARGIN), ZoneOffset.UTC));
    }

    /**
     * Walks every entry stored from the UTC day {@code since} to today, in time order, and
     * checks each link: the entry's hash matches its content (else it was altered), its seq
     * follows the previous one of its chain and it holds that entry's hash (else an entry was
     * deleted, inserted or moved). A missing entry is accepted only if it was due to expire (the
     * next entry holds its expiry): the oldest surviving entry of a chain is its anchor
     * (docs/audit.md, "Verification"). Stops at the first broken link.
     */
    public Verification verify(LocalDate since) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, AuditEntry> last = new HashMap<>();
        long entries = 0;
        for (LocalDate day = since; !day.isAfter(today); day = day.plusDays(1)) {
            String after = null;
            while (true) {
                List<AuditEntry> page = store.day(day, after, BATCH);
                for (AuditEntry e : page) {
                    Break broken = check(e, last.get(e.chain()), now);
                    if (broken != null) {
                        return new Verification(entries, last.size(), broken);
                    }
                    last.put(e.chain(), e);
                    entries++;
                }
                if (page.size() < BATCH) {
                    break;
                }
                after = page.get(page.size() - 1).position();
            }
        }
        return new Verification(entries, last.size(), null);
    }

    private static Break check(AuditEntry e, AuditEntry previous, Instant now) {
        if (!e.computeHash().equals(e.hash())) {
            return new Break(e.chain(), e.seq(), e.at(), "the entry was altered: its hash does not match its content");
        }
        boolean predecessorExpired = e.previousExpiresAt() != null && !e.previousExpiresAt().isAfter(now);
        if (previous == null) {
            if (e.seq() == 1) {
                return AuditEntry.GENESIS.equals(e.previousHash()) ? null
                        : new Break(e.chain(), 1, e.at(), "the first entry of the chain does not start it");
            }
            return predecessorExpired ? null : new Break(e.chain(), e.seq(), e.at(),
                    "entry " + (e.seq() - 1) + " is missing before its expiry (deleted)");
        }
        if (e.seq() <= previous.seq()) {
            return new Break(e.chain(), e.seq(), e.at(), "entry " + e.seq() + " comes after entry " + previous.seq()
                    + " (reordered or duplicated)");
        }
        if (e.seq() == previous.seq() + 1) {
            return e.previousHash().equals(previous.hash()) ? null : new Break(e.chain(), e.seq(), e.at(),
                    "it does not hold the hash of entry " + previous.seq() + " (an entry was replaced or moved)");
        }
        return predecessorExpired ? null : new Break(e.chain(), e.seq(), e.at(),
                "entry " + (e.seq() - 1) + " is missing before its expiry (deleted)");
    }

    /**
     * Every entry from {@code from} (inclusive) to {@code to} (exclusive), in time order, to
     * {@code sink}: with {@code userId} only that account's chains (what it did, and failed
     * sign-ins on it); without, every entry of those days.
     */
    public void export(Instant from, Instant to, String userId, Consumer<AuditEntry> sink) {
        if (userId != null) {
            List<AuditEntry> entries = new ArrayList<>();
            for (AuditAction.Kind kind : AuditAction.Kind.values()) {
                String chain = kind.name().toLowerCase(java.util.Locale.ROOT) + "#" + userId;
                long after = 0;
                while (true) {
                    List<AuditEntry> page = store.chain(chain, after, BATCH);
                    page.stream().filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).forEach(entries::add);
                    if (page.size() < BATCH || !page.get(page.size() - 1).at().isBefore(to)) {
                        break;
                    }
                    after = page.get(page.size() - 1).seq();
                }
            }
            entries.sort(Comparator.comparing(AuditEntry::position));
            entries.forEach(sink);
            return;
        }
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            String after = null;
            while (true) {
                List<AuditEntry> page = store.day(day, after, BATCH);
                page.stream().filter(e -> !e.at().isBefore(from) && e.at().isBefore(to)).forEach(sink);
                if (page.size() < BATCH) {
                    break;
                }
                after = page.get(page.size() - 1).position();
            }
        }
    }

    /**
     * Removes the entries past their expiry (SQLite; DynamoDB's TTL does it by itself and this
     * removes nothing there); returns how many.
     */
    public int purgeExpired() {
        int total = 0;
        int removed;
        do {
            removed = store.purgeExpired(clock.instant(), BATCH);
            total += removed;
        } while (removed == BATCH);
        return total;
    }

    /** One entry as a line of JSON ({@code audit export}; docs/audit.md shows examples). */
    public static String jsonLine(AuditEntry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", e.at().toString());
        json.put("actor", e.actor());
        json.put("action", e.action().name());
        json.put("target", e.target());
        json.put("detail", e.detail());
        json.put("session", e.session());
        json.put("address", e.address());
        json.put("outcome", e.outcome());
        json.put("chain", e.chain());
        json.put("seq", e.seq());
        json.put("previousHash", e.previousHash());
        json.put("hash", e.hash());
        json.put("expiresAt", e.expiresAt().toString());
        return JSON.writeValueAsString(json);
    }
}
