package chatapp.userdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.Ids;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.core.SettableClock;
import chatapp.media.Media;
import chatapp.media.MediaFiles;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Data export (issue 22; docs/audit.md, "Export") on real stores: the job's life in the
 * {@link ExportStore}, the archive's content (profile, both sides of every conversation, read
 * receipts, the bytes of the user's media and of media shared with them, an offline HTML index),
 * the per-day limit and the purge of expired archives. Each shape extends it.
 */
public abstract class DataExportContract {

    protected abstract UserStore users();

    protected abstract ChatStore chats();

    protected abstract MediaStore media();

    protected abstract MediaFiles files();

    protected abstract ExportStore exports();

    protected abstract RateLimitStore rateLimits();

    @TempDir
    Path tmp;

    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private ChatService chat;
    private DataExport export;

    @BeforeEach
    void wire() {
        chat = new ChatService(chats(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, e -> { });
        // runs each export at once on the calling thread: the test reads the result right after
        export = new DataExport(exports(), users(), chats(), media(), files(), clock,
                new RateLimiter(rateLimits(), clock), tmp.resolve("spool"), Runnable::run);
    }

    private User user(UserType type) {
        String id = Ids.random();
        User u = new User(id, type.wire() + id.substring(0, 8).replace('-', 'x').replace('_', 'y'),
                id.toLowerCase() + "@example.org", "{noop}x", type, type == UserType.THERAPIST ? "Speech & <b>play</b>" : null,
                type == UserType.PARENT ? 2 : null, Instant.parse("2026-01-01T00:00:00Z"));
        users().create(u);
        return u;
    }

    private Media photo(User owner, User to, String conversationId, byte[] bytes) throws IOException {
        String id = Ids.random();
        Media m = new Media(id, owner.userId(), MediaFormat.JPEG, bytes.length, 1, 1, null, id + "/original", null,
                clock.instant());
        files().put(m.originalKey(), Files.write(tmp.resolve(id), bytes), "image/jpeg");
        media().create(m);
        media().addViewer(id, to.userId());
        chats().send(new NewMessage(conversationId, owner.userId(), to.userId(), Ids.random(), clock.instant(),
                new Content(Content.IMAGE, id, "caption <b>" + owner.userId() + "</b>"),
                new MediaRef(id, "image/jpeg", bytes.length, 1, 1, null)));
        return m;
    }

    @Test
    void theArchiveHoldsTheProfileAndTheAvatarPhoto() throws IOException {
        User t = user(UserType.THERAPIST);
        String id = Ids.random();
        byte[] bytes = {4, 2};
        Media avatar = new Media(id, t.userId(), MediaFormat.JPEG, bytes.length, 1, 1, null, id + "/avatar", null,
                clock.instant());
        files().put(avatar.originalKey(), Files.write(tmp.resolve(id), bytes), "image/jpeg");
        media().create(avatar);
        chatapp.account.Profiles profiles = new chatapp.account.Profiles(users());
        profiles.edit(t, new chatapp.account.ProfileEdit("Dr. Ana <b>", "Play & speech", "MSc", "Little Voices"));
        profiles.replaceAvatar(t.userId(), id);

        ExportJob job = export.request(t.userId());
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = files().open(export.status(t.userId(), job.exportId()).job().archiveKey());
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries.get("media/" + id + ".jpg")).isEqualTo(bytes);
        JsonNode profile = JsonMapper.builder().build().readTree(entries.get("index.json")).get("profile");
        assertThat(profile.get("displayName").asString()).isEqualTo("Dr. Ana <b>");
        assertThat(profile.get("bio").asString()).isEqualTo("Play & speech");
        assertThat(profile.get("credentials").asString()).isEqualTo("MSc");
        assertThat(profile.get("practice").asString()).isEqualTo("Little Voices");
        assertThat(profile.get("avatar").asString()).isEqualTo("media/" + id + ".jpg");
        assertThat(new String(entries.get("index.html"), StandardCharsets.UTF_8)).contains("Dr. Ana &lt;b&gt;")
                .contains("src=\"media/" + id + ".jpg\"");
    }

    @Test
    void theJobsOfAUserAreTheirsAloneAndExpireByTheirIndex() {
        Instant now = clock.instant();
        ExportJob a = new ExportJob(Ids.random(), "user-a", ExportJob.State.PENDING, now, null, 0, now.plusSeconds(60));
        ExportJob b = new ExportJob(Ids.random(), "user-a", ExportJob.State.PENDING, now.plusMillis(5), null, 0,
                now.plusSeconds(30));
        ExportJob other = new ExportJob(Ids.random(), "user-b", ExportJob.State.PENDING, now, null, 0,
                now.plusSeconds(3600));
        exports().create(a);
        exports().create(b);
        exports().create(other);
        assertThat(exports().find("user-a", a.exportId())).contains(a);
        assertThat(exports().find("user-b", a.exportId())).as("another user's").isEmpty();
        assertThat(exports().byUser("user-a")).containsExactly(b, a);
        ExportJob ready = new ExportJob(a.exportId(), "user-a", ExportJob.State.READY, now, a.exportId() + "/archive",
                1234, now.plusSeconds(7200));
        exports().save(ready);
        assertThat(exports().find("user-a", a.exportId())).contains(ready);
        assertThat(exports().expiredBefore(now.plusSeconds(3000), 10)).containsExactly(b);
        assertThat(exports().expiredBefore(now.plusSeconds(4000), 10)).containsExactly(b, other);
        assertThat(exports().expiredBefore(now.plusSeconds(8000), 1)).containsExactly(b);
        exports().delete(b);
        assertThat(exports().find("user-a", b.exportId())).isEmpty();
        assertThat(exports().expiredBefore(now.plusSeconds(8000), 10)).containsExactly(other, ready);
    }

    @Test
    void theArchiveHoldsEverythingTheUserCanSeeAndOpensOffline() throws IOException {
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        User stranger = user(UserType.PARENT);
        String c = chat.open(p.userId(), t.userId()).conversation().conversationId();
        chat.accept(t.userId(), c);
        Message mine = chat.send(p.userId(), c, Ids.random(), Content.text("Sam <script>alert(1)</script> & me"))
                .message();
        chat.send(t.userId(), c, Ids.random(), Content.text("See you on Tuesday"));
        byte[] ownBytes = {1, 2, 3, 4};
        byte[] sharedBytes = {9, 8, 7};
        Media own = photo(p, t, c, ownBytes);
        Media shared = photo(t, p, c, sharedBytes);
        chat.markRead(t.userId(), c, mine.messageId());
        String hidden = chat.open(stranger.userId(), t.userId()).conversation().conversationId();
        chat.accept(t.userId(), hidden);
        chat.send(stranger.userId(), hidden, Ids.random(), Content.text("not for the parent"));

        ExportJob job = export.request(p.userId());
        DataExport.Status status = export.status(p.userId(), job.exportId());

        assertThat(status.job().state()).isEqualTo(ExportJob.State.READY);
        assertThat(status.url()).isNotNull();
        assertThat(status.job().size()).isPositive();
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = files().open(status.job().archiveKey()); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries).containsKeys("index.json", "index.html", "media/" + own.mediaId() + ".jpg",
                "media/" + shared.mediaId() + ".jpg");
        assertThat(entries.get("media/" + own.mediaId() + ".jpg")).isEqualTo(ownBytes);
        assertThat(entries.get("media/" + shared.mediaId() + ".jpg")).isEqualTo(sharedBytes);
        JsonNode index = JsonMapper.builder().build().readTree(entries.get("index.json"));
        assertThat(index.get("profile").get("email").asString()).isEqualTo(p.email());
        assertThat(index.get("conversations")).hasSize(1);
        JsonNode messages = index.get("conversations").get(0).get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("content").get("value").asString()).isEqualTo(mine.content().value());
        assertThat(messages.get(0).get("readAt").isNull()).isFalse();
        assertThat(messages.get(1).get("content").get("value").asString()).isEqualTo("See you on Tuesday");
        assertThat(messages.get(3).get("media").get("file").asString()).isEqualTo("media/" + shared.mediaId() + ".jpg");
        // issue 21: a caption is part of the user's data, as text
        assertThat(messages.get(3).get("content").get("caption").asString()).isEqualTo("caption <b>" + t.userId() + "</b>");
        assertThat(messages.get(0).get("content").has("caption")).isFalse();
        String html = new String(entries.get("index.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("Sam &lt;script&gt;alert(1)&lt;/script&gt; &amp; me")
                .contains("src=\"media/" + own.mediaId() + ".jpg\"")
                .contains("<p>caption &lt;b&gt;" + p.userId() + "&lt;/b&gt;</p>")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("not for the parent");
        assertThat(new String(entries.get("index.json"), StandardCharsets.UTF_8)).doesNotContain("not for the parent");
        // only its owner sees it
        assertThatThrownBy(() -> export.status(t.userId(), job.exportId()))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(export.list(p.userId())).extracting(ExportJob::exportId).containsExactly(job.exportId());
    }

    /** Reads the archive of a finished export: entry name -> bytes. */
    private Map<String, byte[]> archiveOf(User u, ExportJob job) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = files().open(export.status(u.userId(), job.exportId()).job().archiveKey());
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void theArchiveHoldsEditsDeletionsRepliesAndDeliveries() throws IOException {
        // issue 21: what a message has since its lifecycle, in both index files
        User p = user(UserType.PARENT);
        User t = user(UserType.THERAPIST);
        String c = chat.open(p.userId(), t.userId()).conversation().conversationId();
        chat.accept(t.userId(), c);
        Message first = chat.send(p.userId(), c, Ids.random(), Content.text("first")).message();
        clock.advance(Duration.ofSeconds(1));
        chat.markDelivered(t.userId(), c, first.messageId(), null);
        clock.advance(Duration.ofSeconds(1));
        Message edited = chat.edit(p.userId(), c, first.messageId(), Content.text("first, <i>edited</i> & kept"));
        clock.advance(Duration.ofSeconds(1));
        Message reply = chat.send(t.userId(), c, Ids.random(), Content.text("a reply"), first.messageId(), null)
                .message();
        Message withdrawn = chat.send(p.userId(), c, Ids.random(), Content.text("withdrawn words")).message();
        Message replyToWithdrawn = chat.send(t.userId(), c, Ids.random(), Content.text("what?"),
                withdrawn.messageId(), null).message();
        clock.advance(Duration.ofSeconds(1));
        Message tombstone = chat.delete(p.userId(), c, withdrawn.messageId());
        Media captioned = photo(t, p, c, new byte[] {5, 5});

        Map<String, byte[]> entries = archiveOf(p, export.request(p.userId()));

        String json = new String(entries.get("index.json"), StandardCharsets.UTF_8);
        JsonNode messages = JsonMapper.builder().build().readTree(json).get("conversations").get(0).get("messages");
        assertThat(messages).hasSize(5);
        JsonNode m0 = messages.get(0);
        assertThat(m0.get("messageId").asString()).isEqualTo(first.messageId());
        assertThat(m0.get("content").get("value").asString()).isEqualTo("first, <i>edited</i> & kept");
        assertThat(m0.get("editedAt").asString()).isEqualTo(edited.editedAt().toString());
        assertThat(m0.get("deliveredAt").asString()).isEqualTo(first.createdAt().plusSeconds(1).toString());
        assertThat(m0.get("readAt").isNull()).isTrue();
        assertThat(m0.get("deletedAt").isNull()).isTrue();
        assertThat(m0.has("quote")).isFalse();
        JsonNode m1 = messages.get(1);
        assertThat(m1.get("messageId").asString()).isEqualTo(reply.messageId());
        assertThat(m1.get("quote").get("messageId").asString()).isEqualTo(first.messageId());
        assertThat(m1.get("quote").get("senderId").asString()).isEqualTo(p.userId());
        assertThat(m1.get("quote").get("contentType").asString()).isEqualTo(Content.TEXT);
        assertThat(m1.get("quote").get("excerpt").asString()).as("as the reader sees it now: edited")
                .isEqualTo("first, <i>edited</i> & kept");
        assertThat(m1.get("deliveredAt").isNull()).isTrue();
        assertThat(m1.get("editedAt").isNull()).isTrue();
        JsonNode m2 = messages.get(2);
        assertThat(m2.get("messageId").asString()).isEqualTo(withdrawn.messageId());
        assertThat(m2.get("content").get("contentType").asString()).isEqualTo(Content.DELETED);
        assertThat(m2.get("content").get("value").asString()).isEmpty();
        assertThat(m2.get("deletedAt").asString()).isEqualTo(tombstone.deletedAt().toString());
        assertThat(m2.has("media")).isFalse();
        assertThat(m2.has("quote")).isFalse();
        JsonNode m3 = messages.get(3);
        assertThat(m3.get("messageId").asString()).isEqualTo(replyToWithdrawn.messageId());
        assertThat(m3.get("quote").get("messageId").asString()).isEqualTo(withdrawn.messageId());
        assertThat(m3.get("quote").get("contentType").asString()).isEqualTo(Content.DELETED);
        assertThat(m3.get("quote").get("excerpt").asString()).isEmpty();
        assertThat(messages.get(4).get("content").get("caption").asString())
                .isEqualTo("caption <b>" + t.userId() + "</b>");
        assertThat(json).doesNotContain("withdrawn words");

        String html = new String(entries.get("index.html"), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("first, &lt;i&gt;edited&lt;/i&gt; &amp; kept")
                .contains("edited " + edited.editedAt())
                .contains("delivered " + first.createdAt().plusSeconds(1))
                .contains("Reply to " + p.username() + ": first, &lt;i&gt;edited&lt;/i&gt; &amp; kept")
                .contains("Message deleted " + tombstone.deletedAt())
                .contains("<p>caption &lt;b&gt;" + t.userId() + "&lt;/b&gt;</p>")
                .contains("src=\"media/" + captioned.mediaId() + ".jpg\"")
                .doesNotContain("withdrawn words").doesNotContain("<i>").doesNotContain("<b>");
    }

    @Test
    void threeExportsADayThenTheArchivesExpireAndAreDeleted() throws IOException {
        User p = user(UserType.PARENT);
        List<ExportJob> jobs = List.of(export.request(p.userId()), export.request(p.userId()),
                export.request(p.userId()));
        assertThatThrownBy(() -> export.request(p.userId()))
                .isInstanceOfSatisfying(ChatAppException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        String key = export.status(p.userId(), jobs.getFirst().exportId()).job().archiveKey();
        files().open(key).transferTo(java.io.OutputStream.nullOutputStream());

        Instant later = clock.instant().plus(DataExport.ARCHIVE_LIFETIME.plus(Duration.ofMinutes(1)));
        // a store shared by the class's tests may hold their exports too, due by then as well
        List<ExportJob> due = exports().expiredBefore(later, 1000);
        assertThat(due).extracting(ExportJob::userId).filteredOn(p.userId()::equals).hasSize(3);
        clock.advance(DataExport.ARCHIVE_LIFETIME.plus(Duration.ofMinutes(1)));

        assertThatThrownBy(() -> export.status(p.userId(), jobs.getFirst().exportId()))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(export.purgeExpired()).isEqualTo(due.size());
        assertThat(exports().expiredBefore(later, 1000)).isEmpty();
        assertThat(exports().byUser(p.userId())).isEmpty();
        assertThatThrownBy(() -> files().open(key).close()).isInstanceOf(NoSuchElementException.class);
        assertThat(export.request(p.userId()).state()).as("a new day").isEqualTo(ExportJob.State.PENDING);
    }
}
