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
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contact by consent (issue 19, docs/security.md "Consent"), run through {@link ChatService}
 * against a real {@link ChatStore}: a first conversation is a request; one text introduction;
 * nothing else, and no presence, typing or read receipt, until the recipient accepts; decline,
 * block and unblock; requests apart from the inbox; the request limit. Each adapter extends it.
 */
public abstract class ConsentContract {

    /** The store under test. */
    protected abstract ChatStore store();

    /** The same store's accounts. */
    protected abstract UserStore users();

    /** The same shape's rate-limit buckets. */
    protected abstract RateLimitStore rateLimits();

    /** Requests per day in these tests. */
    static final int REQUESTS_PER_DAY = 3;

    private final List<ChatEvent> changes = new CopyOnWriteArrayList<>();
    private final List<ChatEvent> reads = new CopyOnWriteArrayList<>();
    protected ChatService chat;

    @BeforeEach
    void service() {
        Clock clock = Clock.systemUTC();
        chat = new ChatService(store(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, event -> {
                    if (event instanceof ChatEvent.ConversationChanged) {
                        changes.add(event);
                    } else if (event instanceof ChatEvent.MessagesRead) {
                        reads.add(event);
                    }
                }, null, MessageLimit.NONE, new RateLimiter(rateLimits(), clock),
                RateLimiter.Limit.perPeriod("conversation-requests-test-" + Ids.random(), REQUESTS_PER_DAY,
                        Duration.ofDays(1), "too many conversation requests today"));
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    private Sent text(User from, String conversationId, String text) {
        return chat.send(from.userId(), conversationId, Ids.random(), Content.text(text));
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatAppException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.detail()).contains(detail);
        });
    }

    private static List<String> ids(List<ConversationView> views) {
        return views.stream().map(ConversationView::conversationId).toList();
    }

    @Test
    void aFirstConversationIsARequestThatOnlyTheRecipientSeesAmongRequests() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        Opened opened = chat.open(t.userId(), p.userId());
        String c = opened.conversation().conversationId();

        assertThat(opened.created()).isTrue();
        assertThat(opened.conversation().consent()).isEqualTo(Consent.requested(t.userId()));
        assertThat(ids(chat.inbox(t.userId(), null, null).items())).containsExactly(c);
        assertThat(chat.requests(t.userId(), null, null).items()).isEmpty();
        assertThat(chat.inbox(p.userId(), null, null).items()).isEmpty();
        assertThat(chat.requests(p.userId(), null, null).items()).singleElement().satisfies(v -> {
            assertThat(v.conversationId()).isEqualTo(c);
            assertThat(v.peer()).isEqualTo(t);
            assertThat(v.consent().state()).isEqualTo(ConversationState.REQUESTED);
        });
        // Both hear of the request, each with their own view.
        assertThat(changes).singleElement().isInstanceOfSatisfying(ChatEvent.ConversationChanged.class, e -> {
            assertThat(e.userId()).isEqualTo(t.userId());
            assertThat(e.forUser().peer()).isEqualTo(p);
            assertThat(e.peerId()).isEqualTo(p.userId());
            assertThat(e.forPeer().peer()).isEqualTo(t);
            assertThat(e.forPeer().consent().state()).isEqualTo(ConversationState.REQUESTED);
        });
        // Opening again changes nothing.
        assertThat(chat.open(t.userId(), p.userId()).created()).isFalse();
        assertThat(chat.conversation(t.userId(), c).consent().state()).isEqualTo(ConversationState.REQUESTED);
    }

    @Test
    void theRequesterMaySendOneTextIntroductionAndNothingElseUntilAccepted() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();

        assertRefused(() -> chat.send(t.userId(), c, Ids.random(), new Content(Content.IMAGE, Ids.random())),
                ErrorCode.CONFLICT, "text only");
        String intro = Ids.random();
        Sent first = chat.send(t.userId(), c, intro, Content.text("Hello, I am your son's speech therapist."));
        assertThat(first.created()).isTrue();
        // A retry of the introduction is the introduction, not a second message.
        Sent replay = chat.send(t.userId(), c, intro, Content.text("Hello, I am your son's speech therapist."));
        assertThat(replay.created()).isFalse();
        assertThat(replay.message()).isEqualTo(first.message());

        assertRefused(() -> text(t, c, "Are you there?"), ErrorCode.CONFLICT, "waiting for " + p.username() + " to accept");
        assertThat(chat.history(p.userId(), c, null, null, null).items()).containsExactly(first.message());
        assertThat(chat.requests(p.userId(), null, null).items().getFirst().unreadCount()).isEqualTo(1);
    }

    /**
     * Issue 19: introductions sent at the same time (two devices, a client's retry with a new id)
     * must not both land. The store decides in the send's one atomic write ({@link ChatStore#send}).
     */
    @Test
    void introductionsSentAtOnceStoreExactlyOne() throws Exception {
        int senders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            for (int round = 0; round < 3; round++) {
                User p = user(UserType.PARENT);
                User t = user(UserType.THERAPIST);
                String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
                CyclicBarrier start = new CyclicBarrier(senders);
                List<Future<Sent>> sends = new ArrayList<>();
                for (int i = 0; i < senders; i++) {
                    int n = i;
                    sends.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return text(t, c, "Hello, this is introduction " + n);
                    }));
                }
                int stored = 0;
                for (Future<Sent> f : sends) {
                    try {
                        assertThat(f.get(60, TimeUnit.SECONDS).created()).isTrue();
                        stored++;
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfSatisfying(ChatAppException.class, refusal -> {
                            assertThat(refusal.code()).isEqualTo(ErrorCode.CONFLICT);
                            assertThat(refusal.detail()).contains("waiting for " + p.username() + " to accept");
                        });
                    }
                }
                assertThat(stored).as("introductions stored in round %d", round).isEqualTo(1);
                assertThat(chat.history(p.userId(), c, null, null, null).items()).hasSize(1);
                assertThat(chat.requests(p.userId(), null, null).items().getFirst().unreadCount()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The store's half of the rule: an introduction is only ever a conversation's first message. */
    @Test
    void theStoreRefusesAnIntroductionOnceTheConversationHasAMessageButReturnsItsReplay() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        Sent first = store().send(new NewMessage(c, t.userId(), p.userId(), "intro-1", at, Content.text("Hello"), null,
                true));
        assertThat(first.created()).isTrue();
        assertThat(store().send(new NewMessage(c, t.userId(), p.userId(), "intro-1", at, Content.text("Hello"), null,
                true))).isEqualTo(new Sent(first.message(), false));
        assertThatThrownBy(() -> store().send(new NewMessage(c, t.userId(), p.userId(), "intro-2", at,
                Content.text("Hello again"), null, true))).isInstanceOf(ChatStore.NotFirst.class);
        assertThat(store().before(c, null, 10)).containsExactly(first.message());
    }

    @Test
    void beforeAcceptanceNoPresenceTypingOrReadReceiptFlowsEitherWay() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        Message intro = text(t, c, "Hello").message();

        // Presence: the opener does not get the recipient's, nor the other way round.
        assertThat(chat.peers(t.userId())).isEmpty();
        assertThat(chat.peers(p.userId())).isEmpty();
        // Typing: refused both ways.
        assertRefused(() -> chat.acceptedPeerIn(t.userId(), c), ErrorCode.CONFLICT, "waiting for");
        assertRefused(() -> chat.acceptedPeerIn(p.userId(), c), ErrorCode.CONFLICT, "accept");
        // No read receipt before acceptance: the requester must not learn the request was seen.
        assertRefused(() -> chat.markRead(p.userId(), c, intro.messageId()), ErrorCode.CONFLICT, "accept");
        assertThat(reads).isEmpty();
        assertThat(chat.history(t.userId(), c, null, null, null).items().getFirst().readAt()).isNull();

        chat.accept(p.userId(), c);
        assertThat(chat.peers(t.userId())).containsExactly(p.userId());
        assertThat(chat.peers(p.userId())).containsExactly(t.userId());
        assertThat(chat.acceptedPeerIn(t.userId(), c)).isEqualTo(p.userId());
        Message next = text(t, c, "Thanks for accepting").message();
        chat.markRead(p.userId(), c, next.messageId());
        assertThat(reads).hasSize(1);
    }

    @Test
    void acceptingLetsBothTalkAndMovesTheRequestIntoTheInbox() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        text(t, c, "Hello");
        changes.clear();

        assertRefused(() -> chat.accept(t.userId(), c), ErrorCode.FORBIDDEN, "only " + p.username());
        ConversationView accepted = chat.accept(p.userId(), c);
        assertThat(accepted.consent()).isEqualTo(Consent.ACCEPTED);
        assertThat(chat.accept(p.userId(), c).consent()).isEqualTo(Consent.ACCEPTED); // a repeat changes nothing
        assertThat(changes).hasSize(1);
        assertThat(((ChatEvent.ConversationChanged) changes.getFirst()).forPeer().consent()).isEqualTo(Consent.ACCEPTED);

        assertThat(ids(chat.inbox(p.userId(), null, null).items())).containsExactly(c);
        assertThat(chat.requests(p.userId(), null, null).items()).isEmpty();
        text(t, c, "Second");
        text(t, c, "Third");
        text(p, c, "Hi");
        assertThat(chat.history(p.userId(), c, null, null, null).items()).hasSize(4);
    }

    @Test
    void replyingAcceptsAndSoDoesOpeningFromTheOtherSide() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        text(p, c, "Hello, yes please");
        assertThat(chat.conversation(t.userId(), c).consent()).isEqualTo(Consent.ACCEPTED);
        text(t, c, "Great");

        User p2 = user(UserType.PARENT);
        String c2 = chat.open(t.userId(), p2.userId()).conversation().conversationId();
        Opened back = chat.open(p2.userId(), t.userId());
        assertThat(back.created()).isFalse();
        assertThat(back.conversation().conversationId()).isEqualTo(c2);
        assertThat(back.conversation().consent()).isEqualTo(Consent.ACCEPTED);
    }

    @Test
    void aDeclinedRequestKeepsTheRequesterFromSendingUntilTheRecipientChangesTheirMind() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();

        assertRefused(() -> chat.decline(t.userId(), c), ErrorCode.FORBIDDEN, "only " + p.username());
        ConversationView declined = chat.decline(p.userId(), c);
        assertThat(declined.consent()).isEqualTo(new Consent(ConversationState.DECLINED, t.userId(), null));
        assertThat(chat.decline(p.userId(), c).consent().state()).isEqualTo(ConversationState.DECLINED);

        assertRefused(() -> text(t, c, "Please?"), ErrorCode.CONFLICT, p.username() + " declined");
        // The requester sees it declined in their inbox; the recipient still finds it among requests.
        assertThat(chat.inbox(t.userId(), null, null).items()).singleElement()
                .satisfies(v -> assertThat(v.consent().state()).isEqualTo(ConversationState.DECLINED));
        assertThat(chat.requests(p.userId(), null, null).items()).singleElement()
                .satisfies(v -> assertThat(v.consent().state()).isEqualTo(ConversationState.DECLINED));
        assertThat(chat.peers(t.userId())).isEmpty();

        chat.accept(p.userId(), c);
        text(t, c, "Thank you");
        assertRefused(() -> chat.decline(p.userId(), c), ErrorCode.CONFLICT, "already accepted");
    }

    @Test
    void blockingStopsEverythingBothWaysAndHidesEachOtherUntilUnblocked() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        chat.accept(p.userId(), c);
        Message before = text(t, c, "Hello").message();

        ConversationView blocked = chat.block(p.userId(), c);
        assertThat(blocked.consent()).isEqualTo(new Consent(ConversationState.BLOCKED, null, p.userId()));
        assertThat(chat.block(p.userId(), c).consent()).isEqualTo(blocked.consent()); // a repeat changes nothing
        assertThat(chat.conversation(t.userId(), c).consent().blockedBy()).isEqualTo(p.userId());

        assertRefused(() -> text(t, c, "Why?"), ErrorCode.CONFLICT, p.username() + " has blocked");
        assertRefused(() -> text(p, c, "Bye"), ErrorCode.CONFLICT, "you blocked");
        assertRefused(() -> chat.acceptedPeerIn(t.userId(), c), ErrorCode.CONFLICT, "blocked");
        assertThat(chat.peers(t.userId())).isEmpty();
        assertThat(chat.peers(p.userId())).isEmpty();
        reads.clear();
        assertRefused(() -> chat.markRead(p.userId(), c, before.messageId()), ErrorCode.CONFLICT, "blocked");
        assertThat(reads).isEmpty();
        assertThat(chat.blocked(p.userId())).containsExactly(t.userId());
        assertThat(chat.blocked(t.userId())).containsExactly(p.userId());
        assertRefused(() -> chat.block(t.userId(), c), ErrorCode.CONFLICT, "has blocked");
        assertRefused(() -> chat.unblock(t.userId(), c), ErrorCode.FORBIDDEN, "only " + p.username());
        assertRefused(() -> chat.accept(t.userId(), c), ErrorCode.CONFLICT, "blocked");

        assertThat(chat.unblock(p.userId(), c).consent()).isEqualTo(Consent.ACCEPTED);
        assertThat(chat.unblock(p.userId(), c).consent()).isEqualTo(Consent.ACCEPTED); // not blocked: nothing to do
        assertThat(chat.blocked(p.userId())).isEmpty();
        assertThat(chat.peers(t.userId())).containsExactly(p.userId());
        text(t, c, "Welcome back");
    }

    @Test
    void unblockingANeverAcceptedRequestReturnsItToWhereItStood() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        // The recipient blocks a request: unblocked, it stays refused (declined).
        chat.block(p.userId(), c);
        assertThat(chat.unblock(p.userId(), c).consent())
                .isEqualTo(new Consent(ConversationState.DECLINED, t.userId(), null));
        // The requester blocks their own request: unblocked, it stands again.
        chat.accept(p.userId(), c); // (changes its mind first, then the therapist...)
        User p2 = user(UserType.PARENT);
        String c2 = chat.open(t.userId(), p2.userId()).conversation().conversationId();
        chat.block(t.userId(), c2);
        assertThat(chat.requests(p2.userId(), null, null).items()).isEmpty(); // a blocked request is no request
        assertThat(chat.unblock(t.userId(), c2).consent()).isEqualTo(Consent.requested(t.userId()));
    }

    @Test
    void newRequestsAreLimitedPerAccountButReopeningIsFree() {
        User t = user(UserType.THERAPIST);
        String first = null;
        for (int i = 0; i < REQUESTS_PER_DAY; i++) {
            String c = chat.open(t.userId(), user(UserType.PARENT).userId()).conversation().conversationId();
            first = first == null ? c : first;
        }
        User one = chat.conversation(t.userId(), first).peer();
        assertThat(chat.open(t.userId(), one.userId()).created()).isFalse();
        User another = user(UserType.PARENT);
        assertThatThrownBy(() -> chat.open(t.userId(), another.userId()))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.retryAfter()).isPositive();
                });
        // The limit is the requester's: another may still ask them.
        String asked = chat.open(another.userId(), t.userId()).conversation().conversationId();
        assertThat(chat.requests(t.userId(), null, null).items()).extracting(ConversationView::conversationId)
                .containsExactly(asked);
    }

    @Test
    void conversationsFromBeforeConsentAreAccepted() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = ChatService.conversationId(p.userId(), t.userId());
        // The store's default creation (seeds, imports, and every row that predates consent).
        assertThat(store().createConversation(c, p.userId(), t.userId(), Instant.now())).isTrue();
        assertThat(chat.conversation(t.userId(), c).consent()).isEqualTo(Consent.ACCEPTED);
        assertThat(ids(chat.inbox(t.userId(), null, null).items())).containsExactly(c);
        assertThat(chat.peers(p.userId())).containsExactly(t.userId());
    }

    @Test
    void aConsentChangeIsACompareAndSetOnBothRows() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        Consent requested = Consent.requested(t.userId());
        assertThat(store().changeConsent(c, p.userId(), t.userId(), Consent.ACCEPTED, Consent.ACCEPTED)).isFalse();
        assertThat(store().inboxEntry(p.userId(), c).orElseThrow().consent()).isEqualTo(requested);
        assertThat(store().changeConsent(c, p.userId(), t.userId(), requested, Consent.ACCEPTED)).isTrue();
        assertThat(store().inboxEntry(t.userId(), c).orElseThrow().consent()).isEqualTo(Consent.ACCEPTED);
        assertThat(store().contacts(t.userId())).containsExactly(new ChatStore.Contact(p.userId(), Consent.ACCEPTED));
        assertThat(store().changeConsent(c, p.userId(), t.userId(), requested, Consent.ACCEPTED)).isFalse();
    }

    /** {@link ChatStore#contact}, what every send checks: each row's partner and the consent as it is now. */
    @Test
    void aContactIsTheRowsPartnerWithTheConsentAsItIsNow() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        assertThat(store().contact(p.userId(), c)).contains(new ChatStore.Contact(t.userId(), Consent.requested(t.userId())));
        assertThat(store().contact(t.userId(), c)).contains(new ChatStore.Contact(p.userId(), Consent.requested(t.userId())));
        chat.accept(p.userId(), c);
        assertThat(store().contact(t.userId(), c)).contains(new ChatStore.Contact(p.userId(), Consent.ACCEPTED));
        Consent blocked = chat.block(p.userId(), c).consent();
        assertThat(store().contact(t.userId(), c)).contains(new ChatStore.Contact(p.userId(), blocked));
        assertThat(store().contact(p.userId(), c)).contains(new ChatStore.Contact(t.userId(), blocked));
        User stranger = user(UserType.PARENT);
        assertThat(store().contact(stranger.userId(), c)).isEmpty();
        assertThat(store().contact(p.userId(), ChatService.conversationId(p.userId(), stranger.userId()))).isEmpty();
    }
}
