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
import chatapp.core.SettableClock;
import chatapp.media.Attachments;
import chatapp.media.Erasure;
import chatapp.media.Media;
import chatapp.media.MediaFiles;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message's life after it is sent (issue 21; docs/decisions/0043-message-lifecycle.md), run
 * through {@link ChatService} against a real {@link ChatStore} and real media stores:
 * delivery receipts (once, only by the recipient, read implies delivered, consent as for read
 * receipts), edits within 15 minutes, deletion for everyone (tombstone, media unreachable, inbox
 * without the text, idempotent) and replies (a quote of a message of the same conversation that
 * follows the quoted message's edits and deletion). Each adapter extends it.
 */
public abstract class MessageLifecycleContract {

    protected abstract ChatStore store();

    protected abstract UserStore users();

    protected abstract MediaStore media();

    protected abstract MediaFiles files();

    @TempDir
    Path tmp;

    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final List<ChatEvent> events = new CopyOnWriteArrayList<>();
    private ChatStore store;
    private ChatService chat;

    @BeforeEach
    void service() {
        store = store();
        chat = new ChatService(store, users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, events::add, new Attachments(media()), MessageLimit.NONE, null, null, new Erasure(media(), files()));
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + "-" + id.substring(0, 12), id.toLowerCase() + "@example.org",
                "{noop}not-a-real-hash", type, type == UserType.THERAPIST ? "speech" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    private record Pair(User parent, User therapist, String conversationId) {
    }

    private Pair accepted() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(p.userId(), t.userId()).conversation().conversationId();
        chat.accept(t.userId(), c);
        events.clear();
        return new Pair(p, t, c);
    }

    private Message text(User from, String conversationId, String text) {
        return chat.send(from.userId(), conversationId, Ids.random(), Content.text(text)).message();
    }

    private Message reload(Message m) {
        return store.message(m.conversationId(), m.messageId()).orElseThrow();
    }

    private <T extends ChatEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static void assertRefused(ThrowingCallable call, ErrorCode code, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatAppException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.detail() + " " + e.fieldErrors()).contains(detail);
        });
    }

    // ------------------------------------------------------------------ delivered

    @Test
    void deliveryIsSetOnceOnlyOnMessagesToTheRecipientAndReadImpliesIt() {
        Pair x = accepted();
        Message m1 = text(x.parent(), x.conversationId(), "one");
        Message m2 = text(x.parent(), x.conversationId(), "two");
        Message back = text(x.therapist(), x.conversationId(), "back");
        Message m3 = text(x.parent(), x.conversationId(), "three");
        assertThat(m1.deliveredAt()).isNull();

        // The sender cannot mark their own messages delivered; nothing changes.
        assertThat(store.markDelivered(x.conversationId(), x.parent().userId(), m2.messageId(), clock.instant()))
                .isZero();
        Instant first = clock.instant();
        DeliveryReceipt r = chat.markDelivered(x.therapist().userId(), x.conversationId(), m2.messageId(), null);
        assertThat(r.updated()).isEqualTo(2);
        assertThat(reload(m1).deliveredAt()).isEqualTo(first);
        assertThat(reload(m2).deliveredAt()).isEqualTo(first);
        assertThat(reload(m3).deliveredAt()).isNull();
        assertThat(reload(back).deliveredAt()).as("the therapist's own message").isNull();
        assertThat(events(ChatEvent.MessagesDelivered.class)).singleElement().satisfies(e -> {
            assertThat(e.recipientId()).isEqualTo(x.therapist().userId());
            assertThat(e.peerId()).isEqualTo(x.parent().userId());
            assertThat(e.upToMessageId()).isEqualTo(m2.messageId());
            assertThat(e.deliveredAt()).isEqualTo(first);
        });

        // Idempotent and monotone: a repeat (another device) changes nothing and tells nobody.
        clock.advance(Duration.ofSeconds(5));
        assertThat(chat.markDelivered(x.therapist().userId(), x.conversationId(), m2.messageId(), null).updated())
                .isZero();
        assertThat(reload(m1).deliveredAt()).isEqualTo(first);
        assertThat(events(ChatEvent.MessagesDelivered.class)).hasSize(1);

        // Read implies delivered: reading m3 delivers it at the read time; m1 keeps its time.
        clock.advance(Duration.ofSeconds(5));
        chat.markRead(x.therapist().userId(), x.conversationId(), m3.messageId());
        assertThat(reload(m3).readAt()).isEqualTo(clock.instant());
        assertThat(reload(m3).deliveredAt()).isEqualTo(clock.instant());
        assertThat(reload(m1).deliveredAt()).isEqualTo(first);
        assertThat(store.markDelivered(x.conversationId(), x.therapist().userId(), m3.messageId(), clock.instant()))
                .isZero();
        // The history and the inbox carry it.
        assertThat(chat.history(x.parent().userId(), x.conversationId(), null, null, null).items())
                .filteredOn(m -> m.senderId().equals(x.parent().userId()))
                .allSatisfy(m -> assertThat(m.deliveredAt()).isNotNull());
        assertThat(chat.conversation(x.parent().userId(), x.conversationId()).lastMessage().deliveredAt())
                .isEqualTo(clock.instant());
    }

    @Test
    void messagesReadWithoutADeliveryAreDelivered() {
        Pair x = accepted();
        Message m = text(x.parent(), x.conversationId(), "read at once");
        chat.markRead(x.therapist().userId(), x.conversationId(), m.messageId());
        assertThat(reload(m).deliveredAt()).isEqualTo(reload(m).readAt()).isNotNull();
    }

    @Test
    void deliveryReceiptsFollowTheConsentOfReadReceipts() {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(t.userId(), p.userId()).conversation().conversationId();
        Message intro = text(t, c, "Hello, I am the speech therapist");
        assertRefused(() -> chat.markDelivered(p.userId(), c, intro.messageId(), null), ErrorCode.CONFLICT,
                "accept");
        assertThat(reload(intro).deliveredAt()).isNull();
        chat.accept(p.userId(), c);
        chat.block(p.userId(), c);
        events.clear();
        assertRefused(() -> chat.markDelivered(p.userId(), c, intro.messageId(), null), ErrorCode.CONFLICT, "blocked");
        assertThat(events).isEmpty();
        // Input and participation as for read receipts.
        assertRefused(() -> chat.markDelivered(p.userId(), c, "nope", null), ErrorCode.VALIDATION_FAILED,
                "upToMessageId");
        User stranger = user(UserType.PARENT);
        assertRefused(() -> chat.markDelivered(stranger.userId(), c, intro.messageId(), null), ErrorCode.NOT_FOUND,
                "no such conversation");
    }

    @Test
    void twoDevicesAcknowledgingAtOnceMarkEachMessageOnce() throws Exception {
        Pair x = accepted();
        Message last = null;
        for (int i = 0; i < 6; i++) {
            last = text(x.parent(), x.conversationId(), "message " + i);
        }
        String upTo = last.messageId();
        Callable<Integer> ack = () -> store.markDelivered(x.conversationId(), x.therapist().userId(), upTo,
                clock.instant());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> a = pool.submit(ack);
            Future<Integer> b = pool.submit(ack);
            assertThat(a.get() + b.get()).isEqualTo(6);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ edit

    @Test
    void theSenderEditsATextMessageWithinFifteenMinutes() {
        Pair x = accepted();
        Message m = text(x.parent(), x.conversationId(), "See you Thursday at 4");
        clock.advance(Duration.ofMinutes(14));
        Message edited = chat.edit(x.parent().userId(), x.conversationId(), m.messageId(),
                Content.text("See you Thursday at 5"));
        assertThat(edited.content()).isEqualTo(Content.text("See you Thursday at 5"));
        assertThat(edited.editedAt()).isEqualTo(clock.instant());
        assertThat(edited.createdAt()).isEqualTo(m.createdAt());
        assertThat(reload(m)).isEqualTo(edited);
        assertThat(events(ChatEvent.MessageEdited.class)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo(edited));
        // Both inbox rows show the new text; the history too.
        assertThat(chat.conversation(x.therapist().userId(), x.conversationId()).lastMessage()).isEqualTo(edited);
        assertThat(chat.history(x.therapist().userId(), x.conversationId(), null, null, null).items())
                .containsExactly(edited);

        // After the window: refused, nothing changes.
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(), Content.text("at 6")),
                ErrorCode.CONFLICT, "15 minutes");
        assertThat(reload(m)).isEqualTo(edited);
    }

    @Test
    void onlyTheSenderEditsOnlyTextAndByTheRulesOfASend() {
        Pair x = accepted();
        Message m = text(x.parent(), x.conversationId(), "hello");
        assertRefused(() -> chat.edit(x.therapist().userId(), x.conversationId(), m.messageId(), Content.text("hi")),
                ErrorCode.FORBIDDEN, "only its sender");
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(), Content.text(" \u200b ")),
                ErrorCode.VALIDATION_FAILED, "blank");
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(),
                Content.text("x".repeat(10_001))), ErrorCode.VALIDATION_FAILED, "10000");
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(),
                new Content(Content.IMAGE, Ids.random())), ErrorCode.VALIDATION_FAILED, "only text");
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), "000000000099-abcdefgh",
                Content.text("hi")), ErrorCode.NOT_FOUND, "no message");
        assertRefused(() -> chat.delete(x.parent().userId(), x.conversationId(), "not-a-message-id"),
                ErrorCode.NOT_FOUND, "no message");
        User stranger = user(UserType.PARENT);
        assertRefused(() -> chat.edit(stranger.userId(), x.conversationId(), m.messageId(), Content.text("hi")),
                ErrorCode.NOT_FOUND, "no such conversation");
        // A photo is not edited (the store's condition holds too).
        Message photo = store.send(new NewMessage(x.conversationId(), x.parent().userId(), x.therapist().userId(),
                Ids.random(), clock.instant(), new Content(Content.IMAGE, "m1"),
                new MediaRef("m1", "image/jpeg", 3, 1, 1, null))).message();
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), photo.messageId(), Content.text("hi")),
                ErrorCode.CONFLICT, "only a text message");
        assertThat(store.edit(x.conversationId(), photo.messageId(), x.parent().userId(), "hi", clock.instant()))
                .isEmpty();
        assertThat(store.edit(x.conversationId(), m.messageId(), x.therapist().userId(), "hi", clock.instant()))
                .isEmpty();
        assertThat(reload(m).content().value()).isEqualTo("hello");
        // Nor while blocked.
        chat.block(x.therapist().userId(), x.conversationId());
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(), Content.text("hi")),
                ErrorCode.CONFLICT, "blocked");
        assertThat(events(ChatEvent.MessageEdited.class)).isEmpty();
    }

    // ------------------------------------------------------------------ delete for everyone

    @Test
    void deletingForEveryoneLeavesATombstoneEverywhereOnce() {
        Pair x = accepted();
        Message keep = text(x.therapist(), x.conversationId(), "the peer's message stays");
        Message m = text(x.parent(), x.conversationId(), "my private words");
        clock.advance(Duration.ofHours(3)); // any time later
        assertRefused(() -> chat.delete(x.therapist().userId(), x.conversationId(), m.messageId()),
                ErrorCode.FORBIDDEN, "only its sender");

        Message tombstone = chat.delete(x.parent().userId(), x.conversationId(), m.messageId());
        assertThat(tombstone.content()).isEqualTo(Content.deleted());
        assertThat(tombstone.deletedAt()).isEqualTo(clock.instant());
        assertThat(tombstone.messageId()).isEqualTo(m.messageId());
        assertThat(tombstone.createdAt()).isEqualTo(m.createdAt());
        assertThat(tombstone.isDeleted()).isTrue();
        assertThat(reload(m)).isEqualTo(tombstone);
        assertThat(events(ChatEvent.MessageDeleted.class)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo(tombstone));
        // The inbox previews of both show the tombstone, never the text; the unread count stays.
        for (User u : List.of(x.parent(), x.therapist())) {
            ConversationView v = chat.conversation(u.userId(), x.conversationId());
            assertThat(v.lastMessage()).isEqualTo(tombstone);
            assertThat(v.lastMessage().content().value()).isEmpty();
            assertThat(chat.inbox(u.userId(), null, null).items().getFirst().lastMessage()).isEqualTo(tombstone);
        }
        assertThat(chat.conversation(x.therapist().userId(), x.conversationId()).unreadCount()).isEqualTo(1);
        assertThat(chat.history(x.therapist().userId(), x.conversationId(), null, null, null).items())
                .containsExactly(tombstone, keep);

        // Idempotent: a repeat answers the tombstone and tells nobody again.
        assertThat(chat.delete(x.parent().userId(), x.conversationId(), m.messageId())).isEqualTo(tombstone);
        assertThat(store.deleteForEveryone(x.conversationId(), m.messageId(), x.parent().userId(), clock.instant()))
                .isEmpty();
        assertThat(events(ChatEvent.MessageDeleted.class)).hasSize(1);
        // A deleted message is not edited.
        assertRefused(() -> chat.edit(x.parent().userId(), x.conversationId(), m.messageId(), Content.text("back")),
                ErrorCode.CONFLICT, "deleted");
        assertThat(reload(keep)).isEqualTo(keep);
    }

    @Test
    void aDeletedPhotoLosesItsRecordAndItsBytes() throws Exception {
        Pair x = accepted();
        String id = Ids.random();
        Media media = new Media(id, x.parent().userId(), MediaFormat.JPEG, 3, 1, 1, null, id + "/original",
                id + "/thumbnail", clock.instant());
        Path bytes = Files.write(tmp.resolve(id), new byte[] {1, 2, 3});
        files().put(media.originalKey(), bytes, "image/jpeg");
        files().put(media.thumbnailKey(), bytes, "image/jpeg");
        media().create(media);
        media().addViewer(id, x.therapist().userId());
        Message photo = store.send(new NewMessage(x.conversationId(), x.parent().userId(), x.therapist().userId(),
                Ids.random(), clock.instant(), new Content(Content.IMAGE, id),
                new MediaRef(id, "image/jpeg", 3, 1, 1, null))).message();

        Message tombstone = chat.delete(x.parent().userId(), x.conversationId(), photo.messageId());
        assertThat(tombstone.media()).isNull();
        assertThat(tombstone.content()).isEqualTo(Content.deleted());
        assertThat(media().find(id)).isEmpty();
        assertThatThrownBy(() -> files().open(media.originalKey()).close()).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> files().open(media.thumbnailKey()).close()).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void aDeletedCaptionedPhotoKeepsNoCaptionAndNoMedia() throws Exception {
        Pair x = accepted();
        String id = upload(x.parent(), MediaFormat.JPEG);
        Message photo = chat.send(x.parent().userId(), x.conversationId(), Ids.random(),
                new Content(Content.IMAGE, id, "at the speech session")).message();
        assertThat(photo.content().caption()).isEqualTo("at the speech session");

        Message tombstone = chat.delete(x.parent().userId(), x.conversationId(), photo.messageId());
        assertThat(tombstone.content()).isEqualTo(Content.deleted());
        assertThat(tombstone.content().caption()).isNull();
        assertThat(tombstone.media()).isNull();
        assertThat(reload(photo)).isEqualTo(tombstone);
        assertThat(events(ChatEvent.MessageDeleted.class)).singleElement()
                .satisfies(e -> assertThat(e.message().content().caption()).isNull());
        for (User u : List.of(x.parent(), x.therapist())) {
            assertThat(chat.conversation(u.userId(), x.conversationId()).lastMessage()).isEqualTo(tombstone);
            assertThat(chat.history(u.userId(), x.conversationId(), null, null, null).items())
                    .containsExactly(tombstone);
        }
    }

    @Test
    void anUploadIsSentInOneMessageOnlyAndAReplayStillGetsItsOriginal() throws Exception {
        Pair x = accepted();
        String id = upload(x.therapist(), MediaFormat.JPEG);
        String clientMessageId = Ids.random();
        Sent first = chat.send(x.therapist().userId(), x.conversationId(), clientMessageId,
                new Content(Content.IMAGE, id));
        assertThat(first.created()).isTrue();
        // A replay of the very same send answers the original, not 409.
        Sent replay = chat.send(x.therapist().userId(), x.conversationId(), clientMessageId,
                new Content(Content.IMAGE, id));
        assertThat(replay.created()).isFalse();
        assertThat(replay.message()).isEqualTo(first.message());
        // Another message carrying it, here or to another parent: 409, nothing stored.
        assertRefused(() -> chat.send(x.therapist().userId(), x.conversationId(), Ids.random(),
                new Content(Content.IMAGE, id)), ErrorCode.CONFLICT, "this photo was already sent; upload it again");
        User other = user(UserType.PARENT);
        String c2 = chat.open(x.therapist().userId(), other.userId()).conversation().conversationId();
        text(x.therapist(), c2, "Hello, I am the speech therapist");
        chat.accept(other.userId(), c2);
        assertRefused(() -> chat.send(x.therapist().userId(), c2, clientMessageId, new Content(Content.IMAGE, id)),
                ErrorCode.CONFLICT, "already sent");
        assertThat(media().isViewer(id, other.userId())).isFalse();
        assertThat(chat.history(x.parent().userId(), x.conversationId(), null, null, null).items())
                .containsExactly(first.message());
        assertThat(events(ChatEvent.MessageStored.class)).hasSize(2); // the photo and the introduction

        // Deleting the one message that carries it erases it; no other message showed it.
        chat.delete(x.therapist().userId(), x.conversationId(), first.message().messageId());
        assertThat(media().find(id)).isEmpty();
        // A replay after the deletion still answers the original (its tombstone), not 400.
        Sent afterDeletion = chat.send(x.therapist().userId(), x.conversationId(), clientMessageId,
                new Content(Content.IMAGE, id));
        assertThat(afterDeletion.created()).isFalse();
        assertThat(afterDeletion.message().messageId()).isEqualTo(first.message().messageId());
        assertThat(afterDeletion.message().isDeleted()).isTrue();

        // A clientMessageId used again with another upload answers its original, and that upload
        // went in no message: it stays the uploader's alone, to send in a message of its own.
        String textId = Ids.random();
        Message said = chat.send(x.therapist().userId(), x.conversationId(), textId, Content.text("one moment")).message();
        String reused = upload(x.therapist(), MediaFormat.JPEG);
        Sent reusedAnswer = chat.send(x.therapist().userId(), x.conversationId(), textId,
                new Content(Content.IMAGE, reused));
        assertThat(reusedAnswer.created()).isFalse();
        assertThat(reusedAnswer.message().messageId()).isEqualTo(said.messageId());
        assertThat(media().isViewer(reused, x.parent().userId())).isFalse();
        assertThat(chat.send(x.therapist().userId(), x.conversationId(), Ids.random(),
                new Content(Content.IMAGE, reused)).created()).isTrue();

        // Two sends of one upload at once: exactly one message carries it.
        String raced = upload(x.parent(), MediaFormat.MP4);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Boolean> send = () -> {
                try {
                    return chat.send(x.parent().userId(), x.conversationId(), Ids.random(),
                            new Content(Content.VIDEO, raced)).created();
                } catch (ChatAppException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    return false;
                }
            };
            Future<Boolean> a = pool.submit(send);
            Future<Boolean> b = pool.submit(send);
            assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(true, false);
        } finally {
            pool.shutdownNow();
        }
    }

    /** An upload of {@code owner}'s, record and bytes, as {@code MediaService} stores it; its id. */
    private String upload(User owner, MediaFormat format) throws Exception {
        String id = Ids.random();
        Media media = new Media(id, owner.userId(), format, 3, 1, 1, format.isImage() ? null : 1000L,
                id + "/original", id + "/thumbnail", clock.instant());
        Path bytes = Files.write(tmp.resolve(id), new byte[] {1, 2, 3});
        files().put(media.originalKey(), bytes, format.contentType());
        files().put(media.thumbnailKey(), bytes, "image/jpeg");
        media().create(media);
        return id;
    }

    @Test
    void aMessageDeletedWhileBlockedChangesTheHistoryWithoutAnEvent() {
        Pair x = accepted();
        Message m = text(x.parent(), x.conversationId(), "before the block");
        chat.block(x.therapist().userId(), x.conversationId());
        events.clear();
        Message tombstone = chat.delete(x.parent().userId(), x.conversationId(), m.messageId());
        assertThat(reload(m)).isEqualTo(tombstone);
        assertThat(events).isEmpty();
    }

    // ------------------------------------------------------------------ reply

    @Test
    void aReplyQuotesAMessageOfTheSameConversationAsItIsNow() {
        Pair x = accepted();
        String long101 = "😀".repeat(101);
        Message asked = text(x.therapist(), x.conversationId(), long101);
        Message reply = chat.send(x.parent().userId(), x.conversationId(), Ids.random(), Content.text("Yes"),
                asked.messageId(), null).message();
        Quote expected = new Quote(asked.messageId(), x.therapist().userId(), Content.TEXT, "😀".repeat(100) + "…");
        assertThat(reply.quote()).isEqualTo(expected);
        assertThat(reload(reply).quote()).isEqualTo(expected);
        assertThat(chat.history(x.therapist().userId(), x.conversationId(), null, null, null).items().getFirst().quote())
                .isEqualTo(expected);
        assertThat(chat.conversation(x.therapist().userId(), x.conversationId()).lastMessage().quote())
                .isEqualTo(expected);

        // The quoted message edited: the quote shows the new text.
        chat.edit(x.therapist().userId(), x.conversationId(), asked.messageId(), Content.text("Thursday at 5?"));
        assertThat(reload(reply).quote().excerpt()).isEqualTo("Thursday at 5?");
        // Deleted: the quote keeps who and which, never the text.
        chat.delete(x.therapist().userId(), x.conversationId(), asked.messageId());
        Quote gone = new Quote(asked.messageId(), x.therapist().userId(), Content.DELETED, "");
        assertThat(reload(reply).quote()).isEqualTo(gone);
        assertThat(chat.history(x.parent().userId(), x.conversationId(), null, null, null).items().getFirst().quote())
                .isEqualTo(gone);
        assertThat(chat.conversation(x.parent().userId(), x.conversationId()).lastMessage().quote()).isEqualTo(gone);
        assertThat(chat.history(x.parent().userId(), x.conversationId(), null, null, asked.messageId()).items())
                .singleElement().satisfies(m -> assertThat(m.quote()).isEqualTo(gone));
        // A deleted message is not replied to.
        assertRefused(() -> chat.send(x.parent().userId(), x.conversationId(), Ids.random(), Content.text("?"),
                asked.messageId(), null), ErrorCode.VALIDATION_FAILED, "deleted");
    }

    @Test
    void aReplyToAPhotoQuotesPhotoAndAReplyNamesOnlyMessagesOfItsConversation() {
        Pair x = accepted();
        Pair other = accepted();
        Message photo = store.send(new NewMessage(x.conversationId(), x.parent().userId(), x.therapist().userId(),
                Ids.random(), clock.instant(), new Content(Content.IMAGE, "m2"),
                new MediaRef("m2", "image/jpeg", 3, 1, 1, null))).message();
        Message reply = chat.send(x.therapist().userId(), x.conversationId(), Ids.random(), Content.text("Lovely"),
                photo.messageId(), null).message();
        assertThat(reply.quote()).isEqualTo(new Quote(photo.messageId(), x.parent().userId(), Content.IMAGE, "Photo"));

        Message elsewhere = text(other.parent(), other.conversationId(), "another conversation");
        assertRefused(() -> chat.send(x.parent().userId(), x.conversationId(), Ids.random(), Content.text("?"),
                elsewhere.messageId(), null), ErrorCode.NOT_FOUND, "replyTo");
        assertRefused(() -> chat.send(x.parent().userId(), x.conversationId(), Ids.random(), Content.text("?"),
                "not-an-id", null), ErrorCode.VALIDATION_FAILED, "replyTo");
        // Nothing was stored by the refusals.
        assertThat(chat.history(x.parent().userId(), x.conversationId(), null, null, null).items()).hasSize(2);
        // A replay returns the original with its quote.
        String cid = Ids.random();
        Sent first = chat.send(x.parent().userId(), x.conversationId(), cid, Content.text("again"), reply.messageId(),
                null);
        Sent replay = chat.send(x.parent().userId(), x.conversationId(), cid, Content.text("again"), reply.messageId(),
                null);
        assertThat(replay.created()).isFalse();
        assertThat(replay.message()).isEqualTo(first.message());
        assertThat(replay.message().quote().excerpt()).isEqualTo("Lovely");
        // An account deletion's tombstones quote nothing either.
        store.eraseMessagesOf(x.conversationId(), x.parent().userId());
        assertThat(reload(first.message()).quote()).isNull();
        assertThat(reload(first.message()).isDeleted()).isTrue();
    }
}
