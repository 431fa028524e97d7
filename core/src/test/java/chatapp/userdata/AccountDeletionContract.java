package chatapp.userdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.Accounts;
import chatapp.account.PasswordHashing;
import chatapp.account.Registration;
import chatapp.account.SessionStore;
import chatapp.account.Sessions;
import chatapp.account.SignedIn;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.ConversationState;
import chatapp.chat.ConversationView;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.Ids;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.media.Media;
import chatapp.media.MediaFiles;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Account deletion (issue 22; docs/audit.md, "Deletion") on real stores: sessions end, the
 * profile and its email and username go, the deleted user's messages become tombstones and their
 * media lose record and bytes, the peer keeps the conversation (marked as with a deleted account)
 * and every message of theirs, also when the account is deleted twice at once while both users
 * send. Each shape extends it.
 */
public abstract class AccountDeletionContract {

    protected abstract UserStore users();

    protected abstract SessionStore sessionStore();

    protected abstract ChatStore chats();

    protected abstract MediaStore media();

    protected abstract MediaFiles files();

    protected abstract RateLimitStore rateLimits();

    @TempDir
    Path tmp;

    private static final String PASSWORD = "a long enough passphrase 42";
    private final Clock clock = Clock.systemUTC();
    private final PasswordHashing hashing = new PasswordHashing(raw -> "{test}" + raw,
            (raw, hash) -> hash.equals("{test}" + raw), hash -> false);
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private Sessions sessions;
    private Accounts accounts;
    private ChatService chat;
    private AccountDeletion deletion;
    /** What the deletion told the real-time fan-out. */
    private final List<ChatEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void wire() {
        sessions = new Sessions(sessionStore(), clock, Sessions.LIVENESS_TTL, e -> ended.add(e.sessionId()));
        CursorCodec cursors = new CursorCodec("a cursor key of at least thirty-two bytes".getBytes());
        accounts = new Accounts(users(), sessions, hashing, cursors, clock);
        chat = new ChatService(chats(), users(), cursors, clock, e -> { });
        events.clear();
        deletion = new AccountDeletion(users(), sessions, chats(), media(), files(), hashing,
                new RateLimiter(rateLimits(), clock), null, null, events::add);
    }

    private SignedIn register(UserType type) {
        String tag = Ids.random().substring(0, 10).replace('-', 'x').replace('_', 'y');
        return accounts.register(new Registration("user" + tag, "u" + tag.toLowerCase() + "@example.org", PASSWORD,
                type.wire(), type == UserType.THERAPIST ? "Speech therapy" : null, type == UserType.PARENT ? 1 : null));
    }

    private String accepted(User parent, User therapist) {
        String c = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.accept(therapist.userId(), c);
        return c;
    }

    /** A photo of {@code owner} with its bytes stored, sent in the conversation to {@code to}. */
    private Media photo(User owner, User to, String conversationId) throws IOException {
        String id = Ids.random();
        Media m = new Media(id, owner.userId(), MediaFormat.JPEG, 3, 1, 1, null, id + "/original", id + "/thumbnail",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Path bytes = Files.write(tmp.resolve(id), new byte[] {1, 2, 3});
        files().put(m.originalKey(), bytes, "image/jpeg");
        files().put(m.thumbnailKey(), bytes, "image/jpeg");
        media().create(m);
        media().addViewer(id, to.userId());
        chats().send(new NewMessage(conversationId, owner.userId(), to.userId(), Ids.random(), clock.instant(),
                new Content(Content.IMAGE, id), new MediaRef(id, "image/jpeg", 3, 1, 1, null)));
        return m;
    }

    @Test
    void theAccountGoesItsMessagesBecomeTombstonesAndThePeerKeepsTheConversation() throws IOException {
        SignedIn parent = register(UserType.PARENT);
        SignedIn therapist = register(UserType.THERAPIST);
        User p = parent.user();
        User t = therapist.user();
        String c = accepted(p, t);
        Message mine = chat.send(p.userId(), c, Ids.random(), Content.text("Sam slept badly")).message();
        Message theirs = chat.send(t.userId(), c, Ids.random(), Content.text("Try the routine")).message();
        Media photo = photo(p, t, c);
        Media theirPhoto = photo(t, p, c);

        User deleted = deletion.delete(p.userId(), PASSWORD);

        assertThat(deleted.userId()).isEqualTo(p.userId());
        // sessions end at once, in the store too (other processes)
        assertThat(ended).contains(parent.sessionId());
        assertThat(sessions.live(p.userId(), parent.sessionId())).isFalse();
        assertThat(sessionStore().live(p.userId(), parent.sessionId(), clock.instant())).isFalse();
        assertThat(sessions.live(t.userId(), therapist.sessionId())).isTrue();
        // the profile is gone; email and username are free
        assertThat(users().findById(p.userId())).isEmpty();
        assertThat(users().findByEmail(p.email())).isEmpty();
        assertThatThrownBy(() -> accounts.profile(t.userId(), p.userId())).isInstanceOf(ChatAppException.class);
        // the deleted user's messages are tombstones; the peer's stay
        assertThat(chats().message(c, mine.messageId()).orElseThrow().content()).isEqualTo(Content.deleted());
        assertThat(chats().message(c, theirs.messageId())).contains(theirs);
        // the deleted user's media: record and bytes gone; the peer's media untouched
        assertThat(media().find(photo.mediaId())).isEmpty();
        assertThatThrownBy(() -> files().open(photo.originalKey()).close()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> files().open(photo.thumbnailKey()).close()).isInstanceOf(NoSuchElementException.class);
        assertThat(media().find(theirPhoto.mediaId())).isPresent();
        try (var in = files().open(theirPhoto.originalKey())) {
            assertThat(in.readAllBytes()).hasSize(3);
        }
        // the peer keeps the conversation, which says the account was deleted, and cannot send into it
        ConversationView view = chat.conversation(t.userId(), c);
        assertThat(view.peerDeleted()).isTrue();
        assertThat(view.peer().userId()).isEqualTo(p.userId());
        assertThat(view.peer().username()).isEqualTo(ChatService.DELETED_ACCOUNT);
        assertThat(chat.inbox(t.userId(), null, null).items()).extracting(ConversationView::peerDeleted)
                .containsExactly(true);
        assertThat(chat.history(t.userId(), c, null, null, null).items()).hasSize(4);
        assertThatThrownBy(() -> chat.send(t.userId(), c, Ids.random(), Content.text("hello?")))
                .isInstanceOfSatisfying(ChatAppException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.detail()).contains("deleted their account");
                });
        // a new account may take the email and username
        accounts.register(new Registration(p.username(), p.email(), PASSWORD, "parent", null, 0));
    }

    /** An avatar of {@code owner} with its bytes stored, as {@link chatapp.media.Avatars} keeps it. */
    private Media avatar(User owner) throws IOException {
        String id = Ids.random();
        Media m = new Media(id, owner.userId(), MediaFormat.JPEG, 3, 1, 1, null, id + "/avatar", id + "/avatar-thumbnail",
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Path bytes = Files.write(tmp.resolve(id), new byte[] {1, 2, 3});
        files().put(m.originalKey(), bytes, "image/jpeg");
        files().put(m.thumbnailKey(), bytes, "image/jpeg");
        media().create(m);
        media().addViewer(id, owner.userId());
        new chatapp.account.Profiles(users()).replaceAvatar(owner.userId(), id);
        return m;
    }

    @Test
    void theProfileAndTheAvatarGoWithTheAccountAndThePeersStay() throws IOException {
        User p = register(UserType.PARENT).user();
        User t = register(UserType.THERAPIST).user();
        accepted(p, t);
        chatapp.account.Profiles profiles = new chatapp.account.Profiles(users());
        profiles.edit(t, new chatapp.account.ProfileEdit("Dr. Ana", "Bio", "MSc", "Clinic"));
        Media own = avatar(t);
        Media peers = avatar(p);

        deletion.delete(t.userId(), PASSWORD);

        assertThat(users().profiles(List.of(t.userId()))).isEmpty();
        assertThat(media().find(own.mediaId())).isEmpty();
        assertThatThrownBy(() -> files().open(own.originalKey()).close()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> files().open(own.thumbnailKey()).close()).isInstanceOf(NoSuchElementException.class);
        assertThat(media().find(peers.mediaId())).isPresent();
        assertThat(profiles.of(p.userId()).avatarMediaId()).isEqualTo(peers.mediaId());
    }

    @Test
    void aWrongPasswordDeletesNothingAndRepeatedGuessesAreLimited() {
        SignedIn parent = register(UserType.PARENT);
        String id = parent.user().userId();
        assertThatThrownBy(() -> deletion.delete(id, "not the password"))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> deletion.delete(id, ""))
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
        assertThat(users().findById(id)).isPresent();
        assertThat(sessions.live(id, parent.sessionId())).isTrue();
        for (int i = 1; i < AccountDeletion.FAILURES.capacity(); i++) {
            assertThatThrownBy(() -> deletion.delete(id, "guess")).isInstanceOf(ChatAppException.class);
        }
        assertThatThrownBy(() -> deletion.delete(id, PASSWORD))
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThat(users().findById(id)).isPresent();
    }

    @Test
    void deletingTwiceAtOnceWhileBothSendLosesNothingOfThePeers() throws Exception {
        User p = register(UserType.PARENT).user();
        User t = register(UserType.THERAPIST).user();
        User other = register(UserType.PARENT).user();
        String c = accepted(p, t);
        String kept = accepted(other, t);
        for (int i = 0; i < 5; i++) {
            chat.send(p.userId(), c, Ids.random(), Content.text("before " + i));
        }
        List<String> peerSent = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Object>> work = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            work.add(() -> {
                go.await();
                try {
                    return deletion.delete(p.userId(), PASSWORD);
                } catch (ChatAppException e) {
                    return e.code(); // the other deletion removed the account first
                }
            });
        }
        for (int i = 0; i < 10; i++) {
            int n = i;
            work.add(() -> {
                go.await();
                try {
                    peerSent.add(chat.send(t.userId(), c, Ids.random(), Content.text("peer " + n)).message().messageId());
                } catch (ChatAppException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT); // closed: refused, never lost
                }
                return chat.send(t.userId(), kept, Ids.random(), Content.text("other " + n)).message();
            });
            work.add(() -> {
                go.await();
                try {
                    return chat.send(p.userId(), c, Ids.random(), Content.text("in flight " + n));
                } catch (ChatAppException e) {
                    return e.code();
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            work.forEach(w -> futures.add(pool.submit(w)));
            go.countDown();
            for (Future<Object> f : futures) {
                Object result = f.get();
                if (result instanceof ErrorCode code) {
                    assertThat(code).isIn(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.FORBIDDEN,
                            ErrorCode.RATE_LIMITED);
                }
            }
        } finally {
            pool.shutdown();
        }
        // No second erasing pass: a send past its checks when the conversation closed stores nothing.
        assertThat(users().findById(p.userId())).isEmpty();
        List<Message> history = chats().after(c, "0", 1000);
        for (Message m : history) {
            if (m.senderId().equals(p.userId())) {
                assertThat(m.content()).isEqualTo(Content.deleted());
            } else {
                assertThat(m.content().value()).startsWith("peer ");
            }
        }
        assertThat(history).extracting(Message::messageId).containsAll(peerSent);
        assertThat(chats().after(kept, "0", 100)).hasSize(10)
                .allSatisfy(m -> assertThat(m.content().value()).startsWith("other "));
        assertThat(users().findById(other.userId())).isPresent();
        assertThat(chat.conversation(t.userId(), kept).peerDeleted()).isFalse();
        // the peer's unread count matches the unread messages to them
        long unread = history.stream().filter(m -> m.recipientId().equals(t.userId()) && m.readAt() == null).count();
        assertThat(chats().inboxEntry(t.userId(), c).orElseThrow().unreadCount()).isEqualTo(unread);
    }

    @Test
    void aRequestFromTheDeletedAccountLeavesTheRecipientsRequestsAndInbox() {
        User requester = register(UserType.THERAPIST).user();
        User recipient = register(UserType.PARENT).user();
        User decliner = register(UserType.PARENT).user();
        User asker = register(UserType.PARENT).user();
        String pending = chat.open(requester.userId(), recipient.userId()).conversation().conversationId();
        Message intro = chat.send(requester.userId(), pending, Ids.random(), Content.text("Hello, I am Ana")).message();
        String declined = chat.open(requester.userId(), decliner.userId()).conversation().conversationId();
        chat.send(requester.userId(), declined, Ids.random(), Content.text("Hello again"));
        chat.decline(decliner.userId(), declined);
        // a request TO the deleted account: the asker's own introduction, which stays theirs
        String toDeleted = chat.open(asker.userId(), requester.userId()).conversation().conversationId();
        Message asked = chat.send(asker.userId(), toDeleted, Ids.random(), Content.text("Can you help?")).message();
        assertThat(chat.requests(recipient.userId(), null, null).items()).hasSize(1);

        deletion.delete(requester.userId(), PASSWORD);

        for (User u : List.of(recipient, decliner)) {
            assertThat(chat.requests(u.userId(), null, null).items()).as("requests of %s", u.username()).isEmpty();
            assertThat(chat.inbox(u.userId(), null, null).items()).as("inbox of %s", u.username()).isEmpty();
        }
        assertThat(chats().inboxEntry(recipient.userId(), pending)).isEmpty();
        assertThatThrownBy(() -> chat.conversation(recipient.userId(), pending))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> chat.history(recipient.userId(), pending, null, null, null))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> chat.send(recipient.userId(), pending, Ids.random(), Content.text("hi")))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(chats().message(pending, intro.messageId())).as("the introduction is gone").isEmpty();
        assertThat(chats().after(declined, "0", 10)).isEmpty();
        // their open connections learn it at once (the fan-out sends conversation_removed)
        assertThat(events).contains(new ChatEvent.ConversationRemoved(pending, recipient.userId()),
                new ChatEvent.ConversationRemoved(declined, decliner.userId()));
        assertThat(events).filteredOn(ChatEvent.ConversationChanged.class::isInstance)
                .map(ChatEvent.ConversationChanged.class::cast)
                .singleElement().satisfies(e -> {
                    assertThat(e.peerId()).isEqualTo(asker.userId());
                    assertThat(e.forPeer().conversationId()).isEqualTo(toDeleted);
                    assertThat(e.forPeer().peerDeleted()).isTrue();
                    assertThat(e.forPeer().peer().username()).isEqualTo(ChatService.DELETED_ACCOUNT);
                    assertThat(e.forPeer().consent().state()).isEqualTo(ConversationState.BLOCKED);
                });
        // the asker keeps their own request, closed as any conversation with a deleted account
        ConversationView kept = chat.conversation(asker.userId(), toDeleted);
        assertThat(kept.peerDeleted()).isTrue();
        assertThat(chats().message(toDeleted, asked.messageId())).contains(asked);
        // running the deletion again changes nothing
        deletion.erase(requester);
        assertThat(chats().inboxEntry(recipient.userId(), pending)).isEmpty();
    }

    @Test
    void aRequestAcceptedBeforeTheDeletionStaysAsAClosedConversation() {
        User requester = register(UserType.THERAPIST).user();
        User recipient = register(UserType.PARENT).user();
        String c = chat.open(requester.userId(), recipient.userId()).conversation().conversationId();
        chat.send(requester.userId(), c, Ids.random(), Content.text("Hello"));
        chat.accept(recipient.userId(), c);
        assertThat(chats().removeRequest(c, requester.userId(), recipient.userId()))
                .as("an accepted conversation is no request").isFalse();

        deletion.delete(requester.userId(), PASSWORD);

        assertThat(chat.inbox(recipient.userId(), null, null).items()).singleElement()
                .satisfies(v -> assertThat(v.peerDeleted()).isTrue());
        // the recipient's open connections see it closed at once, with the deleted text gone
        assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.ConversationChanged.class, e -> {
            assertThat(e.peerId()).isEqualTo(recipient.userId());
            assertThat(e.forPeer().peerDeleted()).isTrue();
            assertThat(e.forPeer().consent().state()).isEqualTo(ConversationState.BLOCKED);
            assertThat(e.forPeer().lastMessage().content()).isEqualTo(Content.deleted());
        });
        assertThat(chats().after(c, "0", 10)).singleElement()
                .satisfies(m -> assertThat(m.content()).isEqualTo(Content.deleted()));
    }

    @Test
    void noSendInFlightDuringTheDeletionLandsAfterItsErasingPass() throws Exception {
        for (int round = 0; round < 3; round++) {
            User p = register(UserType.PARENT).user();
            User t = register(UserType.THERAPIST).user();
            String c = accepted(p, t);
            chat.send(p.userId(), c, Ids.random(), Content.text("before"));
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<Object>> work = new ArrayList<>();
            work.add(() -> {
                go.await();
                return deletion.delete(p.userId(), PASSWORD);
            });
            for (int i = 0; i < 16; i++) {
                int n = i;
                work.add(() -> {
                    go.await();
                    try {
                        // straight to the store too: a send that passed the service's checks just before the close
                        return n % 2 == 0 ? chat.send(p.userId(), c, Ids.random(), Content.text("in flight " + n))
                                : chats().send(new NewMessage(c, p.userId(), t.userId(), Ids.random(), clock.instant(),
                                        Content.text("past its checks " + n), null));
                    } catch (ChatStore.Closed e) {
                        return ErrorCode.CONFLICT;
                    } catch (ChatAppException e) {
                        return e.code();
                    }
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Object>> futures = new ArrayList<>();
                work.forEach(w -> futures.add(pool.submit(w)));
                go.countDown();
                for (Future<Object> f : futures) {
                    Object result = f.get();
                    if (result instanceof ErrorCode code) {
                        assertThat(code).isIn(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED);
                    }
                }
            } finally {
                pool.shutdown();
            }
            // one erasing pass only: nothing of the deleted account carries text or media
            assertThat(users().findById(p.userId())).isEmpty();
            assertThat(chats().after(c, "0", 1000)).isNotEmpty().allSatisfy(m -> {
                assertThat(m.senderId()).isEqualTo(p.userId());
                assertThat(m.content()).isEqualTo(Content.deleted());
                assertThat(m.media()).isNull();
            });
            assertThatThrownBy(() -> chats().send(new NewMessage(c, p.userId(), t.userId(), Ids.random(),
                    clock.instant(), Content.text("after"), null))).isInstanceOf(ChatStore.Closed.class);
            // a replay of a message stored before the close still answers its (erased) original
            Message first = chats().after(c, "0", 1).getFirst();
            assertThat(chats().send(new NewMessage(c, p.userId(), t.userId(), first.clientMessageId(),
                    clock.instant(), Content.text("before"), null)).message().messageId()).isEqualTo(first.messageId());
        }
    }
}
