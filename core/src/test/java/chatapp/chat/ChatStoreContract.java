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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of conversations and messages (issue 13, docs/architecture.md "Data"), run through
 * {@link ChatService} against a real {@link ChatStore}: each adapter extends this class. Users
 * come from an in-memory directory (accounts are not under test here); the clock ticks one
 * millisecond per reading so that activity order is deterministic.
 */
public abstract class ChatStoreContract {

    /** The store under test, with empty or unrelated data. */
    protected abstract ChatStore store();

    /** The same store's accounts: participants are real users of it. */
    protected abstract UserStore users();

    /** Bulk-loads messages the way the adapter seeds data (not through {@link ChatStore#send}). */
    protected abstract void importMessages(List<Message> messages);

    /** Messages the concurrency tests send in total; adapters on slow emulators may ask for fewer. */
    protected int concurrentMessages() {
        return 240;
    }

    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-24T10:15:30.123Z").toEpochMilli());
    private final Clock clock = new Clock() {
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
            return Instant.ofEpochMilli(millis.incrementAndGet());
        }
    };
    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    /** Events whose message was not yet readable from the store when published (must stay empty). */
    private final List<ChatEvent> earlyEvents = new CopyOnWriteArrayList<>();
    private final CursorCodec cursors = new CursorCodec("a cursor key of at least thirty-two bytes".getBytes());
    protected ChatService chat;

    @BeforeEach
    void service() {
        ChatStore store = store();
        chat = new ChatService(store, users(), cursors, clock, event -> {
            if (event instanceof ChatEvent.MessageStored stored
                    && store.message(stored.message().conversationId(), stored.message().messageId()).isEmpty()) {
                earlyEvents.add(event);
            }
            if (!(event instanceof ChatEvent.ConversationChanged)) { // consent events: ConsentContract
                events.add(event);
            }
        });
    }

    protected User parent() {
        return user(UserType.PARENT);
    }

    protected User therapist() {
        return user(UserType.THERAPIST);
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    /** An accepted conversation: {@code a} asks, {@code b} accepts (consent: ConsentContract). */
    private String open(User a, User b) {
        String c = chat.open(a.userId(), b.userId()).conversation().conversationId();
        chat.accept(b.userId(), c);
        return c;
    }

    private Message send(User from, String conversationId, String text) {
        return chat.send(from.userId(), conversationId, Ids.random(), Content.text(text)).message();
    }

    // ---- queued sends (a connection's pipelined sends) -------------------------------------

    /**
     * {@link ChatStore#sendAsync}: writes queued one after the other, without waiting, are stored
     * in call order, and a repeat queued behind its original replays it; through
     * {@link ChatService#sendAsync}, each event is published after its write, in commit order.
     */
    @Test
    void queuedSendsAreStoredInCallOrderAndARepeatInTheQueueReplaysItsOriginal() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        events.clear();
        List<String> calls = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Sent>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String cmid = i % 10 == 9 ? calls.getLast() : "q-" + i;
            calls.add(cmid);
            if (i % 2 == 0) {
                java.util.concurrent.CompletableFuture<Sent> r = new java.util.concurrent.CompletableFuture<>();
                store().sendAsync(new NewMessage(c, p.userId(), t.userId(), cmid, clock.instant(),
                        Content.text("queued " + i), null), r);
                results.add(r);
            } else {
                results.add(chat.sendAsync(p.userId(), c, cmid, Content.text("queued " + i), null, null, Runnable::run));
            }
        }
        Map<String, String> idOf = new java.util.HashMap<>();
        String previous = "";
        for (int i = 0; i < calls.size(); i++) {
            Sent s = results.get(i).join();
            String first = idOf.putIfAbsent(calls.get(i), s.message().messageId());
            if (first != null) {
                assertThat(s.created()).as("a repeat in the queue stores nothing").isFalse();
                assertThat(s.message().messageId()).as("and answers its original").isEqualTo(first);
            } else {
                assertThat(s.created()).isTrue();
                assertThat(s.message().messageId()).as("stored in call order").isGreaterThan(previous);
                previous = s.message().messageId();
            }
        }
        List<String> distinct = calls.stream().distinct().toList();
        List<String> stored = new ArrayList<>();
        for (String cursor = null; ; ) {
            Page<Message> page = chat.history(p.userId(), c, 100, cursor, null);
            page.items().forEach(m -> stored.add(m.clientMessageId()));
            if ((cursor = page.nextCursor()) == null) {
                break;
            }
        }
        assertThat(stored.reversed()).containsExactlyElementsOf(distinct);
        List<String> published = events.stream().filter(e -> e instanceof ChatEvent.MessageStored)
                .map(e -> ((ChatEvent.MessageStored) e).message().messageId()).toList();
        assertThat(published).as("the service's events in commit order, each once").isSorted().doesNotHaveDuplicates()
                .isSubsetOf(idOf.values());
        assertThat(earlyEvents).as("no event before its write is readable").isEmpty();
    }

    // ---- conversations -------------------------------------------------------------------

    @Test
    void oneConversationPerPairWhoeverOpensItAndARepeatIsTheSameOne() {
        User p = parent();
        User t = therapist();
        Opened first = chat.open(p.userId(), t.userId());
        Opened second = chat.open(t.userId(), p.userId());
        Opened again = chat.open(p.userId(), t.userId());

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(again.created()).isFalse();
        assertThat(second.conversation().conversationId()).isEqualTo(first.conversation().conversationId());
        assertThat(again.conversation().conversationId()).isEqualTo(first.conversation().conversationId());
        assertThat(first.conversation().peer()).isEqualTo(t);
        assertThat(second.conversation().peer()).isEqualTo(p);
        assertThat(first.conversation().lastMessage()).isNull();
        assertThat(first.conversation().unreadCount()).isZero();
        assertThat(chat.inbox(p.userId(), null, null).items()).hasSize(1);
        assertThat(chat.inbox(t.userId(), null, null).items()).hasSize(1);
    }

    @Test
    void onlyAParentAndATherapistCanConverseAndAnUnknownPeerIsNotFound() {
        User p = parent();
        User t = therapist();
        // another parent is hidden from a parent: the answer of an unknown id
        assertRefused(() -> chat.open(p.userId(), parent().userId()), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.open(t.userId(), therapist().userId()), ErrorCode.FORBIDDEN);
        assertRefused(() -> chat.open(p.userId(), p.userId()), ErrorCode.FORBIDDEN);
        assertRefused(() -> chat.open(p.userId(), Ids.random()), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.open(p.userId(), "../../etc/passwd"), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.open(p.userId(), " "), ErrorCode.VALIDATION_FAILED);
        assertThat(chat.inbox(p.userId(), null, null).items()).isEmpty();
    }

    @Test
    void bothSidesOpeningAtTheSameInstantMakeExactlyOneConversation() throws Exception {
        for (int round = 0; round < 3; round++) {
            User p = parent();
            User t = therapist();
            List<Opened> opened = concurrently(8, i -> i % 2 == 0 ? chat.open(p.userId(), t.userId())
                    : chat.open(t.userId(), p.userId()));
            assertThat(opened.stream().filter(Opened::created)).hasSize(1);
            assertThat(opened.stream().map(o -> o.conversation().conversationId()).distinct()).hasSize(1);
            assertThat(chat.inbox(p.userId(), null, null).items()).hasSize(1);
            assertThat(chat.inbox(t.userId(), null, null).items()).hasSize(1);
        }
    }

    // ---- account deletion ----------------------------------------------------------------

    @Test
    void erasingASendersMessagesLeavesTombstonesAndThePeersMessagesAsTheyWere() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Message fromParent = send(p, c, "about Sam");
        Message fromTherapist = send(t, c, "thank you");
        MediaRef photo = new MediaRef(Ids.random(), "image/jpeg", 1234, 10, 20, null);
        Message withPhoto = store().send(new NewMessage(c, p.userId(), t.userId(), Ids.random(), clock.instant(),
                new Content(Content.IMAGE, photo.mediaId(), "Sam at the park"), photo)).message();
        chat.markRead(t.userId(), c, fromParent.messageId());

        List<MediaRef> media = store().eraseMessagesOf(c, p.userId());

        assertThat(media).containsExactly(photo);
        Message erased = store().message(c, fromParent.messageId()).orElseThrow();
        assertThat(erased.content()).isEqualTo(Content.deleted());
        assertThat(erased.media()).isNull();
        assertThat(erased.createdAt()).isEqualTo(fromParent.createdAt());
        assertThat(erased.readAt()).isNotNull();
        Message erasedPhoto = store().message(c, withPhoto.messageId()).orElseThrow();
        assertThat(erasedPhoto.content()).isEqualTo(Content.deleted());
        assertThat(erasedPhoto.media()).isNull();
        assertThat(store().message(c, fromTherapist.messageId())).contains(fromTherapist);
        // the inbox row shows the tombstone as the last message and keeps its unread count
        InboxEntry row = store().inboxEntry(t.userId(), c).orElseThrow();
        assertThat(row.lastMessage().content()).isEqualTo(Content.deleted());
        assertThat(row.unreadCount()).isEqualTo(1);
        assertThat(store().eraseMessagesOf(c, p.userId())).as("a second time").isEmpty();
        assertThat(store().after(c, "0", 10)).extracting(Message::messageId)
                .containsExactly(fromParent.messageId(), fromTherapist.messageId(), withPhoto.messageId());
    }

    /**
     * Issue 21: a photo's or video's caption and whether a video has a poster are stored with the
     * message and read back as sent, in history, by id and as the inbox's last message; a message
     * without them reads back without them.
     */
    @Test
    void captionsAndPostersAreStoredWithTheMessage() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        MediaRef photo = new MediaRef(Ids.random(), "image/jpeg", 1234, 10, 20, null);
        MediaRef video = new MediaRef(Ids.random(), "video/mp4", 99_000, 640, 360, 2_500L, true);
        MediaRef oldVideo = new MediaRef(Ids.random(), "video/webm", 5_000, null, null, null, false);
        Message captioned = store().send(new NewMessage(c, p.userId(), t.userId(), Ids.random(), clock.instant(),
                new Content(Content.IMAGE, photo.mediaId(), "Sam's drawing \uD83C\uDFA8\nsecond line"), photo)).message();
        Message plain = store().send(new NewMessage(c, p.userId(), t.userId(), Ids.random(), clock.instant(),
                new Content(Content.VIDEO, oldVideo.mediaId()), oldVideo)).message();
        Message withPoster = store().send(new NewMessage(c, t.userId(), p.userId(), Ids.random(), clock.instant(),
                new Content(Content.VIDEO, video.mediaId(), "the exercise"), video)).message();

        assertThat(store().message(c, captioned.messageId()).orElseThrow()).isEqualTo(captioned);
        assertThat(store().message(c, captioned.messageId()).orElseThrow().content().caption())
                .isEqualTo("Sam's drawing \uD83C\uDFA8\nsecond line");
        assertThat(store().message(c, plain.messageId()).orElseThrow().content().caption()).isNull();
        assertThat(store().message(c, plain.messageId()).orElseThrow().media().poster()).isFalse();
        assertThat(store().message(c, withPoster.messageId()).orElseThrow().media()).isEqualTo(video);
        assertThat(store().after(c, "0", 10)).containsExactly(captioned, plain, withPoster);
        assertThat(store().inboxEntry(p.userId(), c).orElseThrow().lastMessage()).isEqualTo(withPoster);
        assertThat(store().message(c, captioned.messageId()).orElseThrow().media().poster())
                .as("a photo says nothing of a poster").isNull();
    }

    // ---- retention -----------------------------------------------------------------------

    @Test
    void retentionDeletesTheOldestMessagesWithTheirGuardsAndKeepsUnreadCountsExact() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Message read = send(p, c, "old and read");
        chat.markRead(t.userId(), c, read.messageId());
        Sent unread = chat.send(p.userId(), c, "client-old", Content.text("old and unread"));
        Message reply = send(t, c, "old reply, unread by the parent");
        millis.addAndGet(java.time.Duration.ofDays(10).toMillis());
        Instant cutoff = clock.instant();
        Message recent = send(p, c, "recent");
        assertThat(store().inboxEntry(t.userId(), c).orElseThrow().unreadCount()).isEqualTo(2);

        List<Message> first = store().deleteMessagesBefore(c, cutoff, 2);
        assertThat(first).extracting(Message::messageId).containsExactly(read.messageId(), unread.message().messageId());
        List<Message> rest = store().deleteMessagesBefore(c, cutoff, 10);
        assertThat(rest).extracting(Message::messageId).containsExactly(reply.messageId());
        assertThat(store().deleteMessagesBefore(c, cutoff, 10)).isEmpty();

        assertThat(store().after(c, "0", 10)).extracting(Message::messageId).containsExactly(recent.messageId());
        assertThat(store().message(c, read.messageId())).isEmpty();
        InboxEntry theirs = store().inboxEntry(t.userId(), c).orElseThrow();
        assertThat(theirs.unreadCount()).isEqualTo(1);
        assertThat(theirs.lastMessage()).isEqualTo(recent);
        assertThat(store().inboxEntry(p.userId(), c).orElseThrow().unreadCount()).isZero();
        // the guard went with the message: the same clientMessageId is a new message now
        Sent again = chat.send(p.userId(), c, "client-old", Content.text("a new one"));
        assertThat(again.created()).isTrue();
        assertThat(again.message().messageId()).isGreaterThan(recent.messageId());
    }

    // ---- sending -------------------------------------------------------------------------

    @Test
    void aSendStoresTheMessageAndUpdatesBothInboxRowsAndTheRecipientsUnreadCount() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Sent sent = chat.send(p.userId(), c, "client-1", Content.text("Hello 👋 how is Sam today?"));

        Message m = sent.message();
        assertThat(sent.created()).isTrue();
        assertThat(ChatStore.isMessageId(m.messageId())).isTrue();
        assertThat(m.conversationId()).isEqualTo(c);
        assertThat(m.senderId()).isEqualTo(p.userId());
        assertThat(m.recipientId()).isEqualTo(t.userId());
        assertThat(m.content()).isEqualTo(Content.text("Hello 👋 how is Sam today?"));
        assertThat(m.clientMessageId()).isEqualTo("client-1");
        assertThat(m.readAt()).isNull();
        assertThat(m.media()).isNull();
        assertThat(m.createdAt().getNano() % 1_000_000).isZero();

        ConversationView mine = chat.conversation(p.userId(), c);
        ConversationView theirs = chat.conversation(t.userId(), c);
        assertThat(mine.lastMessage()).isEqualTo(m);
        assertThat(theirs.lastMessage()).isEqualTo(m);
        assertThat(mine.unreadCount()).isZero();
        assertThat(theirs.unreadCount()).isEqualTo(1);
        assertThat(mine.updatedAt()).isEqualTo(m.createdAt());
        assertThat(chat.history(t.userId(), c, null, null, null).items()).containsExactly(m);
        assertThat(events).containsExactly(new ChatEvent.MessageStored(m, null));
        assertThat(earlyEvents).as("published before the message was readable").isEmpty();
    }

    @Test
    void eventsNameTheConnectionThatCausedThem() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Message m = chat.send(p.userId(), c, "from-socket", Content.text("hi"), "connection-p").message();
        ReadReceipt receipt = chat.markRead(t.userId(), c, m.messageId(), "connection-t");

        assertThat(events).containsExactly(new ChatEvent.MessageStored(m, "connection-p"),
                new ChatEvent.MessagesRead(c, t.userId(), p.userId(), m.messageId(), receipt.readAt(), "connection-t"));
    }

    @Test
    void aReplayedClientMessageIdReturnsTheOriginalAndStoresNothing() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Sent first = chat.send(p.userId(), c, "same-id", Content.text("once"));
        Sent replay = chat.send(p.userId(), c, "same-id", Content.text("once"));
        Sent changed = chat.send(p.userId(), c, "same-id", Content.text("edited on retry"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.message()).isEqualTo(first.message());
        assertThat(changed.message()).isEqualTo(first.message());
        assertThat(chat.history(p.userId(), c, null, null, null).items()).containsExactly(first.message());
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(1);
        assertThat(events).hasSize(1);
        // The guard is per conversation: the same client id elsewhere is another message.
        User t2 = therapist();
        String other = open(p, t2);
        assertThat(chat.send(p.userId(), other, "same-id", Content.text("once")).created()).isTrue();
    }

    @Test
    void aLateReplayAfterNewerMessagesChangesNoInboxRowAndTakesNoSequenceNumber() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Sent first = chat.send(p.userId(), c, "late-id", Content.text("first"));
        Message second = send(p, c, "second");
        Message answer = send(t, c, "answer");
        ConversationView parentsBefore = chat.conversation(p.userId(), c);
        ConversationView therapistsBefore = chat.conversation(t.userId(), c);

        Sent replay = chat.send(p.userId(), c, "late-id", Content.text("first"));

        assertThat(replay.created()).isFalse();
        assertThat(replay.message()).isEqualTo(first.message());
        assertThat(chat.conversation(p.userId(), c)).isEqualTo(parentsBefore);
        assertThat(chat.conversation(t.userId(), c)).isEqualTo(therapistsBefore);
        Message next = send(p, c, "third");
        assertThat(ChatStore.sequenceOf(next.messageId()))
                .as("the replay took no sequence number")
                .isEqualTo(ChatStore.sequenceOf(answer.messageId()) + 1);
        assertThat(chat.history(p.userId(), c, null, null, null).items())
                .containsExactly(next, answer, second, first.message());
    }

    @Test
    void identicalSendsRacingStoreOneMessageAndAllGetTheOriginal() throws Exception {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        for (int round = 0; round < 3; round++) {
            String clientId = "race-" + round;
            List<Sent> sent = concurrently(6, i -> chat.send(p.userId(), c, clientId, Content.text("hello " + clientId)));
            assertThat(sent.stream().filter(Sent::created)).hasSize(1);
            assertThat(sent.stream().map(Sent::message).distinct()).hasSize(1);
        }
        assertThat(chat.history(t.userId(), c, null, null, null).items()).hasSize(3);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(3);
        assertThat(events).hasSize(3);
    }

    @Test
    void bothParticipantsMayUseTheSameClientMessageIdAndEachReplayGetsItsOwnMessage() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Sent fromParent = chat.send(p.userId(), c, "1", Content.text("from the parent"));
        Sent fromTherapist = chat.send(t.userId(), c, "1", Content.text("the therapist's reply"));

        assertThat(fromParent.created()).isTrue();
        assertThat(fromTherapist.created()).as("the peer's id is not this sender's").isTrue();
        assertThat(fromTherapist.message().senderId()).isEqualTo(t.userId());
        assertThat(fromTherapist.message().content().value()).isEqualTo("the therapist's reply");
        assertThat(fromTherapist.message().messageId()).isNotEqualTo(fromParent.message().messageId());

        Sent parentReplay = chat.send(p.userId(), c, "1", Content.text("from the parent"));
        Sent therapistReplay = chat.send(t.userId(), c, "1", Content.text("the therapist's reply"));
        assertThat(parentReplay.created()).isFalse();
        assertThat(parentReplay.message()).isEqualTo(fromParent.message());
        assertThat(therapistReplay.created()).isFalse();
        assertThat(therapistReplay.message()).isEqualTo(fromTherapist.message());

        assertThat(chat.history(p.userId(), c, null, null, null).items())
                .containsExactly(fromTherapist.message(), fromParent.message());
        assertThat(chat.conversation(p.userId(), c).unreadCount()).isEqualTo(1);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(1);
        assertThat(events).hasSize(2);
    }

    @Test
    void bothParticipantsRacingWithOneClientMessageIdStoreOneMessageEach() throws Exception {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        for (int round = 0; round < 3; round++) {
            String clientId = "shared-" + round;
            // Three replays from each side at once, interleaved.
            List<Sent> sent = concurrently(6, i -> i % 2 == 0
                    ? chat.send(p.userId(), c, clientId, Content.text("parent " + clientId))
                    : chat.send(t.userId(), c, clientId, Content.text("therapist " + clientId)));
            for (String sender : List.of(p.userId(), t.userId())) {
                List<Sent> mine = sent.stream().filter(x -> x.message().senderId().equals(sender)).toList();
                assertThat(mine).as("every ack of %s is its own message", sender).hasSize(3);
                assertThat(mine.stream().filter(Sent::created)).hasSize(1);
                assertThat(mine.stream().map(Sent::message).distinct()).hasSize(1);
            }
        }
        List<Message> history = chat.history(t.userId(), c, null, null, null).items();
        assertThat(history).hasSize(6);
        assertThat(history.stream().map(m -> m.senderId() + "/" + m.clientMessageId()).distinct()).hasSize(6);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(3);
        assertThat(chat.conversation(p.userId(), c).unreadCount()).isEqualTo(3);
        assertThat(events).hasSize(6);
    }

    @Test
    void textIsCountedInCodePointsAndStoredIntact() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        String emoji = "😀".repeat(10_000); // 10,000 code points, 20,000 UTF-16 units
        Message m = send(p, c, emoji);
        assertThat(chat.history(t.userId(), c, null, null, null).items().getFirst().content().value())
                .isEqualTo(emoji);
        assertThat(m.content().value()).isEqualTo(emoji);
        assertRefused(() -> send(p, c, emoji + "a"), ErrorCode.VALIDATION_FAILED);
    }

    // ---- who may see what ----------------------------------------------------------------

    @Test
    void aStrangerGetsNotFoundForEverythingAndLearnsNothing() {
        User p = parent();
        User t = therapist();
        User stranger = parent();
        String c = open(p, t);
        Message m = send(p, c, "private");

        assertRefused(() -> chat.conversation(stranger.userId(), c), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.history(stranger.userId(), c, null, null, null), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.history(stranger.userId(), c, null, null, m.messageId()), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.send(stranger.userId(), c, "x", Content.text("hi")), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.markRead(stranger.userId(), c, m.messageId()), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.conversation(p.userId(), "no-such-conversation"), ErrorCode.NOT_FOUND);
        assertThat(chat.inbox(stranger.userId(), null, null).items()).isEmpty();
        assertThat(chat.history(p.userId(), c, null, null, null).items()).containsExactly(m);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(1);
        assertThat(m.readAt()).isNull();
        assertThat(chat.history(t.userId(), c, null, null, null).items().getFirst().readAt()).isNull();
    }

    // ---- order, history, catch-up --------------------------------------------------------

    @Test
    void aThousandMessagesWalkBothWaysWithoutGapOrRepeat() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        List<Message> stored = seed(c, p, t, 1_000, false);

        List<String> newestFirst = new ArrayList<>();
        String cursor = null;
        do {
            Page<Message> page = chat.history(t.userId(), c, 37, cursor, null);
            assertThat(page.items().size()).isLessThanOrEqualTo(37);
            page.items().forEach(m -> newestFirst.add(m.messageId()));
            cursor = page.nextCursor();
        } while (cursor != null);
        List<String> expected = new ArrayList<>(stored.stream().map(Message::messageId).toList());
        Collections.reverse(expected);
        assertThat(newestFirst).containsExactlyElementsOf(expected);

        List<String> oldestFirst = new ArrayList<>();
        oldestFirst.add(stored.getFirst().messageId());
        Page<Message> page = chat.history(p.userId(), c, 100, null, stored.getFirst().messageId());
        while (true) {
            page.items().forEach(m -> oldestFirst.add(m.messageId()));
            if (page.nextCursor() == null) {
                break;
            }
            page = chat.history(p.userId(), c, 100, page.nextCursor(), null);
        }
        Collections.reverse(expected);
        assertThat(oldestFirst).containsExactlyElementsOf(expected);
        assertThat(chat.history(p.userId(), c, 100, null, stored.getLast().messageId()).items()).isEmpty();
        assertThat(chat.history(p.userId(), c, 2, null, null).items())
                .containsExactly(stored.get(999), stored.get(998));
    }

    @Test
    void messageOrderIsCommitOrderUnderConcurrentSendersWithAReaderCatchingUp() throws Exception {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Message first = send(p, c, "start");
        int senders = 4;
        int each = concurrentMessages() / senders;
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger catchUps = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(senders + 1)) {
            Future<?> reader = pool.submit(() -> {
                String last = first.messageId();
                boolean finalPass = false;
                while (true) {
                    boolean wasDone = done.get();
                    Page<Message> page = chat.history(t.userId(), c, 100, null, last);
                    while (true) {
                        for (Message m : page.items()) {
                            seen.add(m.messageId());
                            last = m.messageId();
                        }
                        if (page.nextCursor() == null) {
                            break;
                        }
                        page = chat.history(t.userId(), c, 100, page.nextCursor(), null);
                    }
                    catchUps.incrementAndGet();
                    if (finalPass) {
                        return null;
                    }
                    finalPass = wasDone; // one more pass after every sender has finished
                }
            });
            List<Future<List<String>>> sent = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int s = 0; s < senders; s++) {
                User from = s % 2 == 0 ? p : t; // both sides, two devices each
                int sender = s;
                sent.add(pool.submit(() -> {
                    start.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        ids.add(chat.send(from.userId(), c, "s" + sender + "-" + i, Content.text("m" + i)).message()
                                .messageId());
                    }
                    return ids;
                }));
            }
            start.countDown();
            Set<String> acknowledged = new HashSet<>();
            for (Future<List<String>> f : sent) {
                acknowledged.addAll(f.get(5, TimeUnit.MINUTES));
            }
            done.set(true);
            reader.get(5, TimeUnit.MINUTES);

            assertThat(acknowledged).hasSize(senders * each);
            assertThat(seen).as("nothing repeated").doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).as("nothing skipped").isEqualTo(acknowledged);
            assertThat(seen).as("ids seen in increasing order").isSorted();
            assertThat(catchUps.get()).isGreaterThan(1);
            // Sequence numbers are dense: every commit took the next one.
            assertThat(seen.stream().map(ChatStore::sequenceOf).toList())
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(2, senders * each + 1).boxed().toList());
        }
    }

    @Test
    void cursorsAreTamperProofAndBoundToTheirListAndReader() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        String other = open(p, therapist());
        seed(c, p, t, 5, false);
        String cursor = chat.history(p.userId(), c, 2, null, null).nextCursor();
        assertThat(cursor).isNotNull();

        assertRefused(() -> chat.history(p.userId(), other, 2, cursor, null), ErrorCode.BAD_CURSOR);
        assertRefused(() -> chat.history(t.userId(), c, 2, cursor, null), ErrorCode.BAD_CURSOR);
        String edited = (cursor.charAt(0) == 'A' ? 'B' : 'A') + cursor.substring(1);
        assertRefused(() -> chat.history(p.userId(), c, 2, edited, null), ErrorCode.BAD_CURSOR);
        assertRefused(() -> chat.history(p.userId(), c, 2, "garbage", null), ErrorCode.BAD_CURSOR);
        assertRefused(() -> chat.inbox(p.userId(), 1, cursor), ErrorCode.BAD_CURSOR);
        assertRefused(() -> chat.history(p.userId(), c, 0, null, null), ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> chat.history(p.userId(), c, 101, null, null), ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> chat.history(p.userId(), c, null, null, "not-an-id"), ErrorCode.VALIDATION_FAILED);
        assertThat(chat.history(p.userId(), c, 2, cursor, null).items()).hasSize(2);
    }

    // ---- read receipts -------------------------------------------------------------------

    @Test
    void readingSetsReadAtOnceOnlyOnThePeersMessagesUpToTheGivenOne() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        Message p1 = send(p, c, "p1");
        Message t1 = send(t, c, "t1");
        Message p2 = send(p, c, "p2");
        Message p3 = send(p, c, "p3");
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(3);
        assertThat(chat.conversation(p.userId(), c).unreadCount()).isEqualTo(1);
        events.clear();

        ReadReceipt receipt = chat.markRead(t.userId(), c, p2.messageId());
        assertThat(receipt.updated()).isEqualTo(2);
        assertThat(receipt.conversationId()).isEqualTo(c);
        assertThat(receipt.upToMessageId()).isEqualTo(p2.messageId());
        assertThat(events).containsExactly(new ChatEvent.MessagesRead(c, t.userId(), p.userId(), p2.messageId(),
                receipt.readAt(), null));
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(1);
        assertThat(chat.conversation(p.userId(), c).unreadCount()).as("the reader's own count only").isEqualTo(1);
        Map<String, Instant> readAt = readAt(t, c);
        assertThat(readAt.get(p1.messageId())).isEqualTo(receipt.readAt());
        assertThat(readAt.get(p2.messageId())).isEqualTo(receipt.readAt());
        assertThat(readAt.get(p3.messageId())).isNull();
        assertThat(readAt.get(t1.messageId())).as("not the reader's own message").isNull();

        ReadReceipt repeat = chat.markRead(t.userId(), c, p2.messageId());
        assertThat(repeat.updated()).isZero();
        assertThat(readAt(t, c).get(p1.messageId())).as("readAt never moves").isEqualTo(receipt.readAt());
        assertThat(events).hasSize(1);

        // The parent reading up to p3 marks the therapist's t1 only, never their own messages.
        assertThat(chat.markRead(p.userId(), c, p3.messageId()).updated()).isEqualTo(1);
        assertThat(readAt(t, c).get(p3.messageId())).isNull();
        assertThat(chat.conversation(p.userId(), c).unreadCount()).isZero();

        ReadReceipt rest = chat.markRead(t.userId(), c, p3.messageId());
        assertThat(rest.updated()).isEqualTo(1);
        assertThat(readAt(t, c).get(p1.messageId())).isEqualTo(receipt.readAt());
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isZero();
        assertThat(chat.conversation(t.userId(), c).lastMessage().readAt()).isEqualTo(rest.readAt());

        assertRefused(() -> chat.markRead(t.userId(), c, "000000000999-AAAAAAAA"), ErrorCode.NOT_FOUND);
        assertRefused(() -> chat.markRead(t.userId(), c, "nope"), ErrorCode.VALIDATION_FAILED);
        assertRefused(() -> chat.markRead(t.userId(), c, null), ErrorCode.VALIDATION_FAILED);
    }

    @Test
    void unreadCountsStayExactUnderConcurrentSendsAndReadsFromSeveralDevices() throws Exception {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        int devices = 3;
        int each = concurrentMessages() / 2 / devices;
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger markedByReaders = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(devices + 2)) {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (sending.get()) {
                        List<Message> newest = chat.history(t.userId(), c, 1, null, null).items();
                        if (!newest.isEmpty()) {
                            markedByReaders.addAndGet(chat.markRead(t.userId(), c, newest.getFirst().messageId())
                                    .updated());
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> senders = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                int device = d;
                senders.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        send(p, c, "device " + device + " message " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : senders) {
                f.get(5, TimeUnit.MINUTES);
            }
            sending.set(false);
            for (Future<?> f : readers) {
                f.get(5, TimeUnit.MINUTES);
            }
        }
        int total = devices * each;
        long unreadNow = readAt(t, c).values().stream().filter(java.util.Objects::isNull).count();
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(unreadNow);
        assertThat(markedByReaders.get() + unreadNow).as("each message marked once").isEqualTo(total);

        Message last = chat.history(t.userId(), c, 1, null, null).items().getFirst();
        assertThat(chat.markRead(t.userId(), c, last.messageId()).updated()).isEqualTo((int) unreadNow);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isZero();
        assertThat(readAt(t, c).values()).doesNotContainNull();
    }

    @Test
    void aBacklogOfFiveThousandUnreadMessagesIsReadInOneCall() {
        User p = parent();
        User t = therapist();
        String c = open(p, t);
        List<Message> backlog = seed(c, p, t, 5_000, false);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isEqualTo(5_000);
        Message own = send(t, c, "caught up");

        ReadReceipt receipt = chat.markRead(t.userId(), c, own.messageId());

        assertThat(receipt.updated()).isEqualTo(5_000);
        assertThat(chat.conversation(t.userId(), c).unreadCount()).isZero();
        assertThat(chat.conversation(p.userId(), c).unreadCount()).isEqualTo(1);
        List<Message> newest = chat.history(p.userId(), c, 100, null, null).items();
        assertThat(newest.subList(1, 100)).allSatisfy(m -> assertThat(m.readAt()).isEqualTo(receipt.readAt()));
        List<Message> oldest = chat.history(p.userId(), c, 100, null, backlog.getFirst().messageId()).items();
        assertThat(oldest).hasSize(100).allSatisfy(m -> assertThat(m.readAt()).isEqualTo(receipt.readAt()));
        assertThat(chat.markRead(t.userId(), c, own.messageId()).updated()).isZero();
    }

    // ---- the inbox -----------------------------------------------------------------------

    @Test
    void theInboxListsConversationsMostRecentlyActiveFirstWithPeerLastMessageAndUnread() {
        User p = parent();
        List<User> therapists = List.of(therapist(), therapist(), therapist(), therapist(), therapist());
        List<String> ids = new ArrayList<>();
        for (User t : therapists) {
            ids.add(open(p, t));
        }
        Message toSecond = send(p, ids.get(1), "to the second");
        Message fromFourth = send(therapists.get(3), ids.get(3), "from the fourth");
        send(therapists.get(3), ids.get(3), "again from the fourth");
        Message fromFirst = send(therapists.get(0), ids.get(0), "from the first");

        List<ConversationView> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<ConversationView> page = chat.inbox(p.userId(), 2, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(all).extracting(ConversationView::conversationId)
                .containsExactly(ids.get(0), ids.get(3), ids.get(1), ids.get(4), ids.get(2));
        assertThat(all.get(0).lastMessage()).isEqualTo(fromFirst);
        assertThat(all.get(0).peer()).isEqualTo(therapists.get(0));
        assertThat(all.get(0).unreadCount()).isEqualTo(1);
        assertThat(all.get(1).unreadCount()).isEqualTo(2);
        assertThat(all.get(1).lastMessage().messageId()).isNotEqualTo(fromFourth.messageId());
        assertThat(all.get(2).lastMessage()).isEqualTo(toSecond);
        assertThat(all.get(2).unreadCount()).isZero();
        assertThat(all.get(3).lastMessage()).isNull();
        assertThat(all.get(0).updatedAt()).isAfter(all.get(1).updatedAt());

        assertThat(chat.peers(p.userId())).containsExactlyInAnyOrderElementsOf(
                therapists.stream().map(User::userId).toList());
        assertThat(chat.peers(therapists.get(2).userId())).containsExactly(p.userId());
        assertThat(chat.inbox(therapists.get(1).userId(), null, null).items()).singleElement()
                .satisfies(v -> assertThat(v.peer()).isEqualTo(p));
    }

    // ---- helpers -------------------------------------------------------------------------

    /** {@code count} messages from {@code from} to {@code to}, bulk-loaded; returned oldest first. */
    protected List<Message> seed(String conversationId, User from, User to, int count, boolean read) {
        List<Message> messages = new ArrayList<>(count);
        Instant at = Instant.ofEpochMilli(millis.addAndGet(count + 1) - count);
        for (int i = 1; i <= count; i++) {
            messages.add(new Message(ChatStore.messageId(i), conversationId, from.userId(), to.userId(),
                    at.plusMillis(i), Content.text("seeded " + i), null, "seed-" + i, read ? at : null));
        }
        if (!messages.isEmpty()) {
            importMessages(messages);
        }
        return messages;
    }

    /** Every message's readAt as {@code reader} sees it, walking the whole history. */
    private Map<String, Instant> readAt(User reader, String conversationId) {
        Map<String, Instant> result = new java.util.HashMap<>();
        String cursor = null;
        do {
            Page<Message> page = chat.history(reader.userId(), conversationId, 100, cursor, null);
            page.items().forEach(m -> result.put(m.messageId(), m.readAt()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return result;
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatAppException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Runs {@code n} calls on {@code n} threads released at once; their results in call order. */
    protected static <T> List<T> concurrently(int n, IntCall<T> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> task = () -> {
                    ready.countDown();
                    go.await();
                    return call.apply(index);
                };
                futures.add(pool.submit(task));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(2, TimeUnit.MINUTES));
            }
            return results;
        }
    }

    /** A call made with its thread's index. */
    @FunctionalInterface
    protected interface IntCall<T> {
        T apply(int index) throws Exception;
    }
}
