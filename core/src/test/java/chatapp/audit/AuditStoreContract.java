package chatapp.audit;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.CursorCodec;
import chatapp.core.Page;
import chatapp.core.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link AuditStore} with {@link AuditLog}, run on every adapter: entries are
 * appended, never overwritten, linked by hash in chains that concurrent writers do not fork;
 * {@link AuditLog#verify} finds a forged, deleted or reordered entry and accepts expiry. Each
 * test works on its own days (a clock of its own, far from the others) and its own accounts, so
 * the tests share one store and a tampered chain of one test is not seen by another.
 */
public abstract class AuditStoreContract {

    /** The store under test; each call may be a new adapter (another node) on the same data. */
    protected abstract AuditStore store();

    /** Replaces the stored entry with the same chain and seq by {@code forged}, as an attacker with write access would. */
    protected abstract void overwrite(AuditEntry forged);

    /** Deletes the stored entry of {@code chain} and {@code seq}, as an attacker would. */
    protected abstract void remove(String chain, long seq);

    /** Removes every entry expired at {@code now}, as the shape's expiry does (SQLite's purge, DynamoDB's TTL). */
    protected abstract void expire(Instant now);

    private static final CursorCodec CURSORS = new CursorCodec(new byte[32]);

    /** A clock on days of the test's own: slot n starts 30 n days after 2001-01-01. */
    private static SettableClock clock(int slot) {
        return new SettableClock(Instant.parse("2001-01-01T08:00:00Z").plus(Duration.ofDays(30L * slot)));
    }

    private AuditLog log(SettableClock clock) {
        return new AuditLog(store(), CURSORS, clock, AuditLog.DEFAULT_RETENTION);
    }

    private static LocalDate dayOf(SettableClock clock) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Who who(String user) {
        return new Who(user, "session-" + user, "192.0.2.7");
    }

    private List<AuditEntry> chain(String chain) {
        return store().chain(chain, 0, 1000);
    }

    @Test
    void entriesKeepEveryFieldAndLinkByHash() {
        SettableClock clock = clock(1);
        AuditLog log = log(clock);
        LocalDate since = dayOf(clock);
        for (int i = 0; i < 4; i++) {
            log.record(who("u-link"), AuditAction.HISTORY_READ, "conv-link", Map.of("limit", "50", "cursor", "c" + i));
            clock.advance(Duration.ofHours(10)); // over two days
        }
        log.record(who("u-link"), AuditAction.MEDIA_VIEWED, "media-link", Map.of("variant", "thumbnail"), "not_found");

        List<AuditEntry> stored = chain("access#u-link");
        assertThat(stored).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stored.get(0).previousHash()).isEqualTo(AuditEntry.GENESIS);
        assertThat(stored.get(0).previousExpiresAt()).isNull();
        for (int i = 1; i < stored.size(); i++) {
            assertThat(stored.get(i).previousHash()).isEqualTo(stored.get(i - 1).hash());
            assertThat(stored.get(i).previousExpiresAt()).isEqualTo(stored.get(i - 1).expiresAt());
        }
        AuditEntry last = stored.get(4);
        assertThat(last.hash()).isEqualTo(last.computeHash());
        assertThat(last).extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::target, AuditEntry::session,
                AuditEntry::address, AuditEntry::outcome, AuditEntry::detail)
                .containsExactly("u-link", AuditAction.MEDIA_VIEWED, "media-link", "session-u-link", "192.0.2.7",
                        "not_found", Map.of("variant", "thumbnail"));
        assertThat(last.at()).isEqualTo(clock.instant());
        assertThat(last.expiresAt()).isEqualTo(clock.instant().plus(AuditLog.DEFAULT_RETENTION));
        assertThat(store().head("access#u-link")).contains(last);

        AuditLog.Verification v = log.verify(since);
        assertThat(v.firstBreak()).isNull();
        assertThat(v.entries()).isEqualTo(5);
        assertThat(v.chains()).isEqualTo(1);
    }

    @Test
    void appendNeverOverwritesAnEntry() {
        SettableClock clock = clock(2);
        AuditEntry first = log(clock).record(who("u-once"), AuditAction.SIGN_IN, "u-once", Map.of());
        AuditEntry other = new AuditEntry(first.chain(), 1, first.at(), "u-once", AuditAction.SIGN_OUT, null, Map.of(),
                null, null, AuditEntry.SUCCESS, AuditEntry.GENESIS, null, first.expiresAt(), null).sealed();

        assertThat(store().append(other)).isFalse();
        assertThat(chain(first.chain())).containsExactly(first);
    }

    @Test
    void concurrentWritersOnTwoNodesDoNotForkAChain() throws Exception {
        SettableClock clock = clock(3);
        LocalDate since = dayOf(clock);
        AuditLog nodeA = log(clock);
        AuditLog nodeB = log(clock);
        List<Future<AuditEntry>> writes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 24; i++) {
                AuditLog node = i % 2 == 0 ? nodeA : nodeB;
                String page = "p" + i;
                writes.add(pool.submit(() -> node.record(who("u-race"), AuditAction.HISTORY_READ, "conv-race",
                        Map.of("cursor", page))));
            }
            for (Future<AuditEntry> w : writes) {
                w.get();
            }
        }
        List<AuditEntry> stored = chain("access#u-race");
        assertThat(stored).extracting(AuditEntry::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 24).boxed().toList());
        assertThat(stored).extracting(e -> e.detail().get("cursor")).doesNotHaveDuplicates();
        assertThat(nodeA.verify(since).firstBreak()).isNull();
    }

    @Test
    void aForgedEntryIsCaughtAtItsLink() {
        SettableClock clock = clock(4);
        LocalDate since = dayOf(clock);
        AuditLog log = log(clock);
        for (int i = 0; i < 4; i++) {
            log.record(who("u-forge"), AuditAction.MEDIA_VIEWED, "media-" + i, Map.of("variant", "original"));
            clock.advance(Duration.ofMinutes(1));
        }
        AuditEntry second = chain("access#u-forge").get(1);

        // the content changed, the hash kept: the entry itself does not match
        overwrite(withActor(second, "someone-else", second.hash()));
        AuditLog.Break altered = log.verify(since).firstBreak();
        assertThat(altered).isNotNull();
        assertThat(altered.chain()).isEqualTo("access#u-forge");
        assertThat(altered.seq()).isEqualTo(2);
        assertThat(altered.reason()).contains("altered");

        // the content changed and its hash recomputed: the next entry no longer links to it
        overwrite(withActor(second, "someone-else", null).sealed());
        AuditLog.Break relinked = log.verify(since).firstBreak();
        assertThat(relinked).isNotNull();
        assertThat(relinked.seq()).isEqualTo(3);
        assertThat(relinked.reason()).contains("hash of entry 2");
    }

    @Test
    void anEntryDeletedInTheMiddleIsCaught() {
        SettableClock clock = clock(5);
        LocalDate since = dayOf(clock);
        AuditLog log = log(clock);
        for (int i = 0; i < 5; i++) {
            log.record(who("u-gap"), AuditAction.SIGN_IN, "u-gap", Map.of());
            clock.advance(Duration.ofMinutes(1));
        }
        remove("security#u-gap", 3);

        AuditLog.Break gap = log.verify(since).firstBreak();
        assertThat(gap).isNotNull();
        assertThat(gap.chain()).isEqualTo("security#u-gap");
        assertThat(gap.seq()).isEqualTo(4);
        assertThat(gap.reason()).contains("entry 3 is missing");
    }

    @Test
    void reorderedEntriesAreCaught() {
        SettableClock clock = clock(6);
        LocalDate since = dayOf(clock);
        AuditLog log = log(clock);
        for (int i = 0; i < 4; i++) {
            log.record(who("u-order"), AuditAction.CONVERSATION_OPENED, "conv-" + i, Map.of());
            clock.advance(Duration.ofMinutes(1));
        }
        List<AuditEntry> stored = chain("access#u-order");
        AuditEntry two = stored.get(1);
        AuditEntry three = stored.get(2);
        // entries 2 and 3 swap places (each keeps its own content and hash)
        overwrite(new AuditEntry(two.chain(), 2, three.at(), three.actor(), three.action(), three.target(),
                three.detail(), three.session(), three.address(), three.outcome(), three.previousHash(),
                three.previousExpiresAt(), three.expiresAt(), three.hash()));
        overwrite(new AuditEntry(two.chain(), 3, two.at(), two.actor(), two.action(), two.target(), two.detail(),
                two.session(), two.address(), two.outcome(), two.previousHash(), two.previousExpiresAt(),
                two.expiresAt(), two.hash()));

        AuditLog.Break swapped = log.verify(since).firstBreak();
        assertThat(swapped).isNotNull();
        assertThat(swapped.chain()).isEqualTo("access#u-order");
        assertThat(swapped.seq()).isIn(2L, 3L);
    }

    @Test
    void expiryKeepsTheRestVerifiableButAnEarlyDeletionIsCaught() {
        SettableClock clock = clock(7);
        LocalDate since = dayOf(clock);
        AuditLog log = new AuditLog(store(), CURSORS, clock, Duration.ofDays(1));
        for (int i = 0; i < 3; i++) {
            log.record(who("u-expiry"), AuditAction.SIGN_IN, "u-expiry", Map.of());
        }
        clock.advance(Duration.ofDays(2));
        log.record(who("u-expiry"), AuditAction.SIGN_IN, "u-expiry", Map.of());
        log.record(who("u-expiry"), AuditAction.SIGN_OUT, null, Map.of());

        expire(clock.instant());
        assertThat(chain("security#u-expiry")).extracting(AuditEntry::seq).containsExactly(4L, 5L);
        AuditLog.Verification afterExpiry = log.verify(since);
        assertThat(afterExpiry.firstBreak()).as("the oldest surviving entry anchors the chain").isNull();
        assertThat(afterExpiry.entries()).isEqualTo(2);

        remove("security#u-expiry", 4); // not due for a day yet
        AuditLog.Break early = log.verify(since).firstBreak();
        assertThat(early).isNotNull();
        assertThat(early.seq()).isEqualTo(5);
        assertThat(early.reason()).contains("entry 4 is missing before its expiry");
    }

    @Test
    void anAccountsActivityIsItsSecurityEntriesNewestFirstInPages() {
        SettableClock clock = clock(8);
        AuditLog log = log(clock);
        log.record(who("u-page"), AuditAction.SIGN_IN, "u-page", Map.of());
        clock.advance(Duration.ofMinutes(1));
        log.record(Who.anonymous("198.51.100.9"), AuditAction.SIGN_IN, "u-page", Map.of(), "invalid_credentials");
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-page"), AuditAction.HISTORY_READ, "conv-page", Map.of());
        log.record(who("u-page"), AuditAction.PASSWORD_CHANGED, "u-page", Map.of());
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-page"), AuditAction.SIGN_OUT, "session-u-page", Map.of());

        Page<AuditEntry> first = log.accountActivity("u-page", 2, null);
        assertThat(first.items()).extracting(AuditEntry::action)
                .containsExactly(AuditAction.SIGN_OUT, AuditAction.PASSWORD_CHANGED);
        Page<AuditEntry> second = log.accountActivity("u-page", 2, first.nextCursor());
        assertThat(second.items()).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AuditAction.SIGN_IN, null, "invalid_credentials"),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.SIGN_IN, "u-page", "success"));
        assertThat(second.nextCursor()).isNull();
        assertThat(log.accountActivity("u-other", null, null).items()).isEmpty();
    }

    @Test
    void aConversationsActivityShowsWhichParticipantOpenedItWhen() {
        SettableClock clock = clock(9);
        AuditLog log = log(clock);
        log.record(who("u-parent"), AuditAction.CONVERSATION_REQUESTED, "conv-act", Map.of());
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-therapist"), AuditAction.CONVERSATION_ACCEPTED, "conv-act", Map.of());
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-stranger"), AuditAction.HISTORY_READ, "conv-act", Map.of(), "not_found");
        log.record(who("u-therapist"), AuditAction.HISTORY_READ, "conv-act", Map.of("limit", "50"));
        log.record(who("u-parent"), AuditAction.HISTORY_READ, "conv-other", Map.of());

        Set<String> participants = Set.of("u-parent", "u-therapist");
        Page<AuditEntry> page = log.conversationActivity("conv-act", participants, 10, null);
        assertThat(page.items()).extracting(AuditEntry::actor, AuditEntry::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("u-therapist", AuditAction.HISTORY_READ),
                org.assertj.core.groups.Tuple.tuple("u-therapist", AuditAction.CONVERSATION_ACCEPTED),
                org.assertj.core.groups.Tuple.tuple("u-parent", AuditAction.CONVERSATION_REQUESTED));
        assertThat(page.nextCursor()).isNull();

        Page<AuditEntry> one = log.conversationActivity("conv-act", participants, 1, null);
        assertThat(one.items()).extracting(AuditEntry::action).containsExactly(AuditAction.HISTORY_READ);
        Page<AuditEntry> rest = log.conversationActivity("conv-act", participants, 3, one.nextCursor());
        assertThat(rest.items()).extracting(AuditEntry::action)
                .containsExactly(AuditAction.CONVERSATION_ACCEPTED, AuditAction.CONVERSATION_REQUESTED);
    }

    @Test
    void exportGivesAnAccountsEntriesOrEveryEntryOfATimeRangeInTimeOrder() {
        SettableClock clock = clock(10);
        AuditLog log = log(clock);
        Instant start = clock.instant();
        log.record(who("u-exp"), AuditAction.SIGN_IN, "u-exp", Map.of());
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-exp-peer"), AuditAction.MEDIA_VIEWED, "media-exp", Map.of("owner", "u-exp"));
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-exp"), AuditAction.HISTORY_READ, "conv-exp", Map.of());
        clock.advance(Duration.ofDays(1));
        log.record(who("u-exp"), AuditAction.SIGN_OUT, null, Map.of());
        Instant end = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        log.record(who("u-exp"), AuditAction.SIGN_IN, "u-exp", Map.of()); // after the range

        List<AuditEntry> mine = new ArrayList<>();
        log.export(start, end.plusMillis(1), "u-exp", mine::add);
        assertThat(mine).extracting(AuditEntry::action).containsExactly(AuditAction.SIGN_IN, AuditAction.HISTORY_READ,
                AuditAction.SIGN_OUT);

        List<AuditEntry> all = new ArrayList<>();
        log.export(start, end, null, all::add);
        assertThat(all).extracting(AuditEntry::action).containsExactly(AuditAction.SIGN_IN, AuditAction.MEDIA_VIEWED,
                AuditAction.HISTORY_READ);
        assertThat(AuditLog.jsonLine(all.get(1))).contains("\"action\":\"MEDIA_VIEWED\"", "\"owner\":\"u-exp\"",
                "\"actor\":\"u-exp-peer\"");
    }

    private static AuditEntry withActor(AuditEntry e, String actor, String hash) {
        return new AuditEntry(e.chain(), e.seq(), e.at(), actor, e.action(), e.target(), e.detail(), e.session(),
                e.address(), e.outcome(), e.previousHash(), e.previousExpiresAt(), e.expiresAt(), hash);
    }
}
