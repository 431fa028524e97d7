package chatapp.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.Ids;
import chatapp.core.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Search (issue 21, docs/api.md "Search") through {@link MessageSearch} and {@link ChatService}
 * on a real {@link ChatStore}: words folded for case and diacritics, the last word as a prefix,
 * newest first within and across conversations with paging, only the caller's conversations,
 * deleted messages never, user input never read as query syntax, match ranges in UTF-16 units.
 * Both stores must give the same results; each adapter extends it in one line.
 */
public abstract class SearchContract {

    /** The store under test. */
    protected abstract ChatStore store();

    /** The same store's accounts. */
    protected abstract UserStore users();

    /** One second later on every reading: messages get distinct, increasing createdAt. */
    protected static final class Ticking extends Clock {
        public Ticking() {
        }

        private final AtomicLong seconds = new AtomicLong(Instant.parse("2026-03-01T09:00:00Z").getEpochSecond());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.incrementAndGet());
        }
    }

    private ChatService chat;
    private MessageSearch search;

    @BeforeEach
    void services() {
        CursorCodec cursors = new CursorCodec("a cursor key of at least thirty-two bytes".getBytes());
        chat = new ChatService(store(), users(), cursors, new Ticking(), event -> { });
        search = new MessageSearch(store(), chat, cursors, null);
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    /** An accepted conversation between {@code a} and {@code b}. */
    private String conversation(User a, User b) {
        String id = Ids.random();
        store().createConversation(id, a.userId(), b.userId(), Instant.parse("2026-02-01T00:00:00Z"));
        return id;
    }

    private Message text(User from, String conversationId, String text) {
        return chat.send(from.userId(), conversationId, Ids.random(), Content.text(text)).message();
    }

    /** Every hit, following the cursors to the end with pages of {@code limit}. */
    private List<SearchHit> all(User who, String conversationId, String q, int limit) {
        List<SearchHit> hits = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<SearchHit> page = search.search(who.userId(), conversationId, q, limit, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            hits.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(++pages).as("pages").isLessThan(200);
        } while (cursor != null);
        return hits;
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(h -> h.message().messageId()).toList();
    }

    private static List<String> texts(List<SearchHit> hits) {
        return hits.stream().map(h -> h.message().content().value()).toList();
    }

    private static void refused(Runnable call, ErrorCode code, String detail) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ChatAppException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.detail() + " " + e.fieldErrors()).contains(detail);
        });
    }

    @Test
    void wordsMatchWhateverTheirCaseAndDiacritics() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        Message cafe = text(p, c, "Meet at the Café Zoë?");
        Message naive = text(t, c, "A NAÏVE question, señor");
        text(p, c, "nothing to see here");

        assertThat(ids(all(p, c, "cafe", 10))).containsExactly(cafe.messageId());
        assertThat(ids(all(t, c, "CAFÉ zoe", 10))).containsExactly(cafe.messageId());
        assertThat(ids(all(p, null, "naive SENOR", 10))).containsExactly(naive.messageId());
        assertThat(ids(all(p, c, "Señor", 10))).containsExactly(naive.messageId());
        assertThat(all(p, c, "cafes", 10)).isEmpty();
    }

    @Test
    void theLastWordMatchesAsAPrefixTheOthersAsWholeWords() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        Message appointment = text(t, c, "Your appointment is tomorrow at four");
        Message appoint = text(p, c, "They appoint a new therapist");

        assertThat(ids(all(p, c, "appoint", 10))).containsExactly(appoint.messageId(), appointment.messageId());
        assertThat(ids(all(p, c, "tomorrow appoint", 10))).containsExactly(appointment.messageId());
        assertThat(all(p, c, "appoint tomorrow", 10)).isEmpty(); // "appoint" is not a word of the first
        assertThat(ids(all(p, c, "four tom", 10))).containsExactly(appointment.messageId());
    }

    @Test
    void withinAConversationNewestFirstPageByPage() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.addFirst(text(i % 2 == 0 ? p : t, c, "session number " + i).messageId());
            text(p, c, "unrelated " + i);
        }
        Page<SearchHit> first = search.search(p.userId(), c, "session", 3, null);
        assertThat(ids(first.items())).containsExactlyElementsOf(sent.subList(0, 3));
        assertThat(first.nextCursor()).isNotNull();
        assertThat(ids(all(p, c, "session", 3))).containsExactlyElementsOf(sent);
        assertThat(ids(all(t, c, "session", 1))).containsExactlyElementsOf(sent);
        assertThat(ids(all(t, c, "session", 100))).containsExactlyElementsOf(sent);
        assertThat(search.search(p.userId(), c, "session", 7, null).nextCursor()).isNull();
    }

    @Test
    void acrossConversationsNewestFirstAndOnlyTheCallers() {
        User p = user(UserType.PARENT);
        User t1 = user(UserType.THERAPIST);
        User t2 = user(UserType.THERAPIST);
        User other = user(UserType.PARENT);
        String c1 = conversation(p, t1);
        String c2 = conversation(p, t2);
        String foreign = conversation(other, t1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.addFirst(text(t1, c1, "homework sheet " + i).messageId());
            text(other, foreign, "homework for someone else " + i);
            expected.addFirst(text(p, c2, "Homework done " + i).messageId());
            text(t2, c2, "unrelated " + i);
        }
        for (int limit : new int[] {1, 3, 4, 10, 100}) {
            assertThat(ids(all(p, null, "homework", limit))).as("limit " + limit).containsExactlyElementsOf(expected);
        }
        // The therapist of both families sees each family's messages, never mixed up with another's.
        assertThat(all(t1, null, "homework", 3)).hasSize(10)
                .allSatisfy(h -> assertThat(h.peerId()).isIn(p.userId(), other.userId()));
        assertThat(all(t2, null, "someone", 3)).isEmpty();
        assertThat(all(p, null, "someone", 3)).isEmpty();
        // A conversation of others: the same answer as for history.
        refused(() -> search.search(p.userId(), foreign, "homework", 10, null), ErrorCode.NOT_FOUND,
                "no such conversation");
        refused(() -> search.search(p.userId(), "not a conversation", "homework", 10, null), ErrorCode.NOT_FOUND,
                "no such conversation");
        assertThat(all(p, null, "homework", 3).getFirst().peerId()).isEqualTo(t2.userId());
    }

    @Test
    void deletedMessagesNeverMatch() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        text(p, c, "my secret plan");
        Message theirs = text(t, c, "the secret is safe");
        store().eraseMessagesOf(c, p.userId()); // account deletion: tombstones
        assertThat(ids(all(t, c, "secret", 10))).containsExactly(theirs.messageId());
        assertThat(ids(all(t, null, "plan", 10))).isEmpty();

        store().deleteMessagesBefore(c, Instant.parse("2030-01-01T00:00:00Z"), 100); // retention
        assertThat(all(t, c, "secret", 10)).isEmpty();
        assertThat(all(t, null, "secret", 10)).isEmpty();
    }

    @Test
    void anEditedMessageMatchesByItsNewTextAndOneDeletedForEveryoneNever() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        Message wrong = text(p, c, "see you thursday at four");
        Message gone = text(p, c, "my address is elm street");
        Instant later = wrong.createdAt().plusSeconds(60);
        store().edit(c, wrong.messageId(), p.userId(), "see you friday at four", later);
        store().deleteForEveryone(c, gone.messageId(), p.userId(), later);
        assertThat(all(t, c, "thursday", 10)).isEmpty();
        assertThat(ids(all(t, null, "friday", 10))).containsExactly(wrong.messageId());
        assertThat(all(t, null, "elm", 10)).isEmpty();
        assertThat(all(p, c, "street", 10)).isEmpty();
    }

    @Test
    void whoMayReadTheHistoryMaySearchItRequestsAndBlocksIncluded() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        Message intro = text(t, c, "Hello, I am the speech therapist your school recommended");
        assertThat(ids(all(p, null, "therapist", 10))).containsExactly(intro.messageId());
        assertThat(ids(all(t, c, "recommended", 10))).containsExactly(intro.messageId());
        chat.block(p.userId(), c);
        assertThat(ids(all(p, c, "school", 10))).containsExactly(intro.messageId());
        assertThat(ids(all(t, null, "school", 10))).containsExactly(intro.messageId());
    }

    @Test
    void whatTheUserTypesIsNeverQuerySyntax() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        Message quoted = text(p, c, "She said \"hello\" (twice) * near the OR door - NOT AND");
        Message colon = text(t, c, "text:column ^start {a b} [c]");

        for (String q : new String[] {"\"hello", "hello\"", "(twice", "NEAR(hello", "near(door", "OR", "NOT",
                "AND door", "hello*", "\"she\" OR \"door\"", "said -", "'hello'", "twice)", "door\\"}) {
            assertThat(ids(all(p, c, q, 10))).as(q).contains(quoted.messageId()).doesNotContain(colon.messageId());
        }
        for (String q : new String[] {"text:column", "column:text", "^start", "{a b}", "start}", "[c]"}) {
            assertThat(ids(all(t, null, q, 10))).as(q).containsExactly(colon.messageId());
        }
        for (String q : new String[] {"\"", "*", "\"\"", "(", ")", "-", "*(\"", ":", "^", "🙂", "  "}) {
            refused(() -> search.search(p.userId(), c, q, 10, null), ErrorCode.VALIDATION_FAILED, "q");
        }
        refused(() -> search.search(p.userId(), c, "", 10, null), ErrorCode.VALIDATION_FAILED, "is required");
        refused(() -> search.search(p.userId(), c, null, 10, null), ErrorCode.VALIDATION_FAILED, "is required");
        refused(() -> search.search(p.userId(), c, "a".repeat(1000), 10, null), ErrorCode.VALIDATION_FAILED,
                "at most 200");
        refused(() -> search.search(p.userId(), c, "bad\u0000", 10, null), ErrorCode.VALIDATION_FAILED, "U+0000");
        refused(() -> search.search(p.userId(), c, "x\uD800", 10, null), ErrorCode.VALIDATION_FAILED, "Unicode");
        refused(() -> search.search(p.userId(), c, "a b c d e f g h i j k", 10, null), ErrorCode.VALIDATION_FAILED,
                "at most 10 words");
        refused(() -> search.search(p.userId(), c, "hello", 0, null), ErrorCode.VALIDATION_FAILED, "limit");
    }

    @Test
    void matchesAreRangesOfUtf16CodeUnits() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        text(p, c, "🙂 Café, CAFE and café-au-lait <b>cafeteria</b>");
        SearchHit hit = all(t, c, "cafe", 10).getFirst();
        assertThat(hit.matches()).containsExactly(new SearchQuery.Match(3, 7), new SearchQuery.Match(9, 13),
                new SearchQuery.Match(18, 22), new SearchQuery.Match(34, 43));
        assertThat(texts(List.of(hit)).getFirst().substring(34, 43)).isEqualTo("cafeteria");
    }

    @Test
    void aCursorBelongsToItsSearch() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = conversation(p, t);
        for (int i = 0; i < 3; i++) {
            text(p, c, "reminder " + i);
        }
        String cursor = search.search(p.userId(), c, "reminder", 1, null).nextCursor();
        assertThat(cursor).isNotNull();
        refused(() -> search.search(p.userId(), c, "other", 1, cursor), ErrorCode.BAD_CURSOR, "cursor");
        refused(() -> search.search(t.userId(), c, "reminder", 1, cursor), ErrorCode.BAD_CURSOR, "cursor");
        refused(() -> search.search(p.userId(), null, "reminder", 1, cursor), ErrorCode.BAD_CURSOR, "cursor");
        refused(() -> search.search(p.userId(), c, "reminder", 1, cursor + "x"), ErrorCode.BAD_CURSOR, "cursor");
        // The same words however typed continue it.
        assertThat(search.search(p.userId(), c, "REMINDER", 1, cursor).items()).hasSize(1);
    }

    @Test
    void aMessageSentAfterTheFirstPageDoesNotDisturbTheRest() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c1 = conversation(p, t);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.addFirst(text(p, c1, "invoice " + i).messageId());
        }
        Page<SearchHit> first = search.search(t.userId(), null, "invoice", 2, null);
        text(t, c1, "invoice new");
        Page<SearchHit> second = search.search(t.userId(), null, "invoice", 2, first.nextCursor());
        assertThat(ids(first.items())).containsExactlyElementsOf(expected.subList(0, 2));
        assertThat(ids(second.items())).containsExactlyElementsOf(expected.subList(2, 4));
    }
}
