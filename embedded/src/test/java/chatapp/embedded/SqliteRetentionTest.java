package chatapp.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.Content;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.core.SettableClock;
import chatapp.embedded.media.DiskMediaFiles;
import chatapp.embedded.media.SqliteMediaStore;
import chatapp.media.Media;
import chatapp.media.MediaFormat;
import chatapp.userdata.Retention;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention job on one machine (docs/audit.md, "Retention") on a real SQLite file and media
 * on disk: it walks every conversation and deletes the messages older than the retention with
 * their photos and videos (record and bytes), keeping the newer ones and the inbox rows exact.
 */
class SqliteRetentionTest {

    @RegisterExtension
    static final SqliteFixture sqlite = new SqliteFixture();

    @TempDir
    Path tmp;

    @Test
    void theJobDeletesExpiredMessagesAndTheirMediaInEveryConversation() throws Exception {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        SqliteUserStore users = new SqliteUserStore(sqlite.database());
        SqliteChatStore chats = new SqliteChatStore(sqlite.database());
        SqliteMediaStore media = new SqliteMediaStore(sqlite.database());
        DiskMediaFiles files = new DiskMediaFiles(tmp.resolve("media"),
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        ChatService chat = new ChatService(chats, users, new CursorCodec("a cursor key of at least thirty-two bytes"
                .getBytes()), clock, e -> { });
        User t = user(users, UserType.THERAPIST);
        String[] conversations = new String[3];
        Media[] photos = new Media[3];
        for (int i = 0; i < 3; i++) {
            User p = user(users, UserType.PARENT);
            conversations[i] = chat.open(p.userId(), t.userId()).conversation().conversationId();
            chat.accept(t.userId(), conversations[i]);
            chat.send(p.userId(), conversations[i], Ids.random(), Content.text("old " + i));
            String id = Ids.random();
            photos[i] = new Media(id, p.userId(), MediaFormat.JPEG, 3, 1, 1, null, id + "/original", null,
                    clock.instant());
            files.put(photos[i].originalKey(), Files.write(tmp.resolve(id), new byte[] {1, 2, 3}), "image/jpeg");
            media.create(photos[i]);
            media.addViewer(id, t.userId());
            chats.send(new NewMessage(conversations[i], p.userId(), t.userId(), Ids.random(), clock.instant(),
                    new Content(Content.IMAGE, id), new MediaRef(id, "image/jpeg", 3, 1, 1, null)));
        }
        clock.advance(Duration.ofDays(31));
        Message recent = chat.send(t.userId(), conversations[0], Ids.random(), Content.text("recent")).message();

        int deleted = new Retention(chats, media, files, clock, Duration.ofDays(30)).sweep(chats::conversationIds);

        assertThat(deleted).isEqualTo(6);
        assertThat(chats.after(conversations[0], "0", 10)).containsExactly(recent);
        assertThat(chats.after(conversations[1], "0", 10)).isEmpty();
        for (Media m : photos) {
            assertThat(media.find(m.mediaId())).isEmpty();
            assertThatThrownBy(() -> files.open(m.originalKey()).close()).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(chats.inboxEntry(t.userId(), conversations[1]).orElseThrow().unreadCount()).isZero();
        assertThat(chats.inboxEntry(t.userId(), conversations[1]).orElseThrow().lastMessage()).isNull();
        assertThat(new Retention(chats, media, files, clock, Duration.ofDays(30)).sweep(chats::conversationIds))
                .as("nothing left to delete").isZero();
    }

    /**
     * A profile photo outlives message retention. No message may carry one (media.Attachments),
     * but a message stored before that rule may: the message goes, the photo (record and bytes) stays.
     */
    @Test
    void theJobNeverDeletesAProfilePhoto() throws Exception {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        SqliteUserStore users = new SqliteUserStore(sqlite.database());
        SqliteChatStore chats = new SqliteChatStore(sqlite.database());
        SqliteMediaStore media = new SqliteMediaStore(sqlite.database());
        DiskMediaFiles files = new DiskMediaFiles(tmp.resolve("media"),
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC());
        ChatService chat = new ChatService(chats, users, new CursorCodec("a cursor key of at least thirty-two bytes"
                .getBytes()), clock, e -> { });
        User t = user(users, UserType.THERAPIST);
        User p = user(users, UserType.PARENT);
        String conversation = chat.open(p.userId(), t.userId()).conversation().conversationId();
        chat.accept(t.userId(), conversation);
        String id = Ids.random();
        Media avatar = new Media(id, t.userId(), MediaFormat.JPEG, 3, 1, 1, null, id + "/avatar", id + "/avatar-thumbnail",
                clock.instant());
        files.put(avatar.originalKey(), Files.write(tmp.resolve(id), new byte[] {1, 2, 3}), "image/jpeg");
        files.put(avatar.thumbnailKey(), Files.write(tmp.resolve(id + "-t"), new byte[] {4, 5}), "image/jpeg");
        media.create(avatar);
        media.addViewer(id, t.userId());
        chats.send(new NewMessage(conversation, t.userId(), p.userId(), Ids.random(), clock.instant(),
                new Content(Content.IMAGE, id), new MediaRef(id, "image/jpeg", 3, 1, 1, null)));
        clock.advance(Duration.ofDays(31));

        assertThat(new Retention(chats, media, files, clock, Duration.ofDays(30)).sweep(chats::conversationIds))
                .as("the message").isEqualTo(1);
        assertThat(chats.after(conversation, "0", 10)).isEmpty();
        assertThat(media.find(id)).contains(avatar);
        try (var in = files.open(avatar.originalKey())) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        try (var in = files.open(avatar.thumbnailKey())) {
            assertThat(in.readAllBytes()).containsExactly(4, 5);
        }
    }

    private static User user(SqliteUserStore users, UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + id.substring(0, 8).replace('-', 'x').replace('_', 'y'),
                id.toLowerCase() + "@example.org", "{noop}x", type, type == UserType.THERAPIST ? "Speech" : null,
                type == UserType.PARENT ? 1 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users.create(u);
        return u;
    }
}
