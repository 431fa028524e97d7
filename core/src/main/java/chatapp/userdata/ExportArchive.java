package chatapp.userdata;

import chatapp.account.Profile;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.InboxEntry;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.core.Page;
import chatapp.media.Media;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes one user's archive as a ZIP, streaming (docs/audit.md, "Export"): {@code index.json}
 * (machine-readable), {@code index.html} (opens offline: inline style, no scripts, no external
 * resources, relative links to the media files) and {@code media/<mediaId>.<ext>} with the bytes
 * of every photo and video in the user's conversations (their own and those shared with them).
 * Each message is given as the API gives it (docs/api.md, "Message"): receipts, edit and
 * deletion times, a caption, and a reply's quote as it reads now.
 * Messages are read page by page from the store and written as they come, twice (JSON, then
 * HTML); only the list of conversations and of media ids is held in memory, never a message
 * body or a file.
 */
final class ExportArchive {

    static final int PAGE = 200;
    private static final JsonFactory JSON = new JsonFactory();

    private final UserStore users;
    private final ChatStore chats;
    private final MediaStore media;
    private final MediaFiles files;

    private final chatapp.notification.NotificationStore notifications;

    ExportArchive(UserStore users, ChatStore chats, MediaStore media, MediaFiles files,
            chatapp.notification.NotificationStore notifications) {
        this.notifications = notifications;
        this.users = users;
        this.chats = chats;
        this.media = media;
        this.files = files;
    }

    /** One conversation of the archive: its row and the peer (null if the peer deleted their account). */
    private record Conversation(InboxEntry entry, User peer) {
    }

    /** Writes {@code user}'s archive to {@code out} (closing neither). */
    void write(User user, Instant exportedAt, OutputStream out) throws IOException {
        List<Conversation> conversations = new ArrayList<>();
        for (ChatStore.Folder folder : ChatStore.Folder.values()) {
            String position = null;
            do {
                Page<InboxEntry> page = chats.inbox(user.userId(), folder, PAGE, position);
                for (InboxEntry e : page.items()) {
                    conversations.add(new Conversation(e, users.findById(e.peerId()).orElse(null)));
                }
                position = page.nextCursor();
            } while (position != null);
        }
        Map<String, Media> found = new LinkedHashMap<>(); // media id -> record (null: gone)
        Profile profile = users.profiles(List.of(user.userId())).getOrDefault(user.userId(), Profile.EMPTY);
        Media avatar = profile.avatarMediaId() == null ? null : media.find(profile.avatarMediaId()).orElse(null);
        if (avatar != null) {
            found.put(avatar.mediaId(), avatar); // its file goes into the archive with the others
        }
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        zip.putNextEntry(new ZipEntry("index.json"));
        writeJson(user, profile, avatar, exportedAt, conversations, found, new Unclosed(zip));
        zip.closeEntry();
        if (notifications != null) {
            zip.putNextEntry(new ZipEntry("notifications.json"));
            writeNotifications(user, new Unclosed(zip));
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry("index.html"));
        writeHtml(user, profile, avatar, exportedAt, conversations, found, new Unclosed(zip));
        zip.closeEntry();
        for (Map.Entry<String, Media> e : found.entrySet()) {
            Media m = e.getValue();
            if (m == null) {
                continue;
            }
            try (InputStream in = files.open(m.originalKey())) {
                zip.putNextEntry(new ZipEntry(fileOf(m)));
                in.transferTo(zip);
                zip.closeEntry();
            } catch (NoSuchElementException gone) {
                // deleted meanwhile (its sender's account, retention): the index says so by its missing file
            }
        }
        zip.finish();
    }

    /**
     * {@code notifications.json}: the preferences as {@code PUT /users/me/preferences} takes them
     * (null if never saved) and, per session, when it subscribed to Web Push (the endpoint and
     * keys are left out: they are the push service's capability, not the user's data).
     */
    private void writeNotifications(User user, OutputStream out) throws IOException {
        var prefs = notifications.preferences(user.userId());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("preferences");
            if (prefs.isPresent()) {
                g.writeRawValue(chatapp.notification.PreferencesDocument.of(prefs.get()).toJson());
            } else {
                g.writeNull();
            }
            g.writeArrayPropertyStart("pushSubscriptions");
            for (var s : notifications.pushSubscriptions(user.userId())) {
                g.writeStartObject();
                g.writeStringProperty("sessionId", s.sessionId());
                g.writeStringProperty("createdAt", s.createdAt().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** The archive's path of a media file. */
    static String fileOf(Media m) {
        return "media/" + m.mediaId() + "." + m.format().extension();
    }

    private void forEachMessage(String conversationId, java.util.function.Consumer<Message> each) {
        String after = "0"; // sorts before every message id
        while (true) {
            List<Message> page = chats.after(conversationId, after, PAGE);
            page.forEach(each);
            if (page.size() < PAGE) {
                return;
            }
            after = page.getLast().messageId();
        }
    }

    /** The record of a message's media, looked up once per id; null if it is gone. */
    private Media mediaOf(MediaRef ref, Map<String, Media> found) {
        if (!found.containsKey(ref.mediaId())) {
            found.put(ref.mediaId(), media.find(ref.mediaId()).orElse(null));
        }
        return found.get(ref.mediaId());
    }

    private void writeJson(User user, Profile profile, Media avatar, Instant exportedAt, List<Conversation> conversations, Map<String, Media> found,
            OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberProperty("format", 1);
            g.writeStringProperty("exportedAt", exportedAt.toString());
            g.writeObjectPropertyStart("profile");
            g.writeStringProperty("userId", user.userId());
            g.writeStringProperty("username", user.username());
            g.writeStringProperty("email", user.email());
            g.writeStringProperty("userType", user.userType().wire());
            if (user.specialization() != null) {
                g.writeStringProperty("specialization", user.specialization());
            }
            if (user.childrenCount() != null) {
                g.writeNumberProperty("childrenCount", user.childrenCount());
            }
            g.writeStringProperty("createdAt", user.createdAt().toString());
            // issue 21: the profile's own fields, and the avatar's file in this archive
            for (String[] field : new String[][] {{"displayName", profile.displayName()}, {"bio", profile.bio()},
                    {"credentials", profile.credentials()}, {"practice", profile.practice()}}) {
                if (field[1] != null) {
                    g.writeStringProperty(field[0], field[1]);
                }
            }
            if (avatar != null) {
                g.writeStringProperty("avatar", fileOf(avatar));
            }
            g.writeEndObject();
            g.writeArrayPropertyStart("conversations");
            for (Conversation c : conversations) {
                InboxEntry e = c.entry();
                g.writeStartObject();
                g.writeStringProperty("conversationId", e.conversationId());
                g.writeObjectPropertyStart("peer");
                g.writeStringProperty("userId", e.peerId());
                if (c.peer() != null) {
                    g.writeStringProperty("username", c.peer().username());
                    g.writeStringProperty("userType", c.peer().userType().wire());
                }
                g.writeBooleanProperty("deleted", c.peer() == null);
                g.writeEndObject();
                g.writeStringProperty("state", e.consent().state().wire());
                g.writeNumberProperty("unreadCount", e.unreadCount());
                g.writeArrayPropertyStart("messages");
                forEachMessage(e.conversationId(), m -> {
                    g.writeStartObject();
                    g.writeStringProperty("messageId", m.messageId());
                    g.writeStringProperty("senderId", m.senderId());
                    g.writeStringProperty("recipientId", m.recipientId());
                    g.writeStringProperty("createdAt", m.createdAt().toString());
                    g.writeObjectPropertyStart("content");
                    g.writeStringProperty("contentType", m.content().contentType());
                    g.writeStringProperty("value", m.content().value());
                    if (m.content().caption() != null) {
                        g.writeStringProperty("caption", m.content().caption());
                    }
                    g.writeEndObject();
                    if (m.media() != null) {
                        Media stored = mediaOf(m.media(), found);
                        g.writeObjectPropertyStart("media");
                        g.writeStringProperty("mediaId", m.media().mediaId());
                        g.writeStringProperty("contentType", m.media().contentType());
                        g.writeNumberProperty("size", m.media().size());
                        if (stored != null) {
                            g.writeStringProperty("file", fileOf(stored));
                        } else {
                            g.writeNullProperty("file");
                        }
                        g.writeEndObject();
                    }
                    // issue 21: the message's life as the API gives it (docs/api.md, "Message")
                    writeTime(g, "readAt", m.readAt());
                    writeTime(g, "deliveredAt", m.deliveredAt());
                    writeTime(g, "editedAt", m.editedAt());
                    writeTime(g, "deletedAt", m.deletedAt());
                    if (m.quote() != null) {
                        g.writeObjectPropertyStart("quote");
                        g.writeStringProperty("messageId", m.quote().messageId());
                        g.writeStringProperty("senderId", m.quote().senderId());
                        g.writeStringProperty("contentType", m.quote().contentType());
                        g.writeStringProperty("excerpt", m.quote().excerpt());
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                });
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** {@code name}: the time, or null when it has not happened. */
    private static void writeTime(JsonGenerator g, String name, Instant at) {
        if (at != null) {
            g.writeStringProperty(name, at.toString());
        } else {
            g.writeNullProperty(name);
        }
    }

    private void writeHtml(User user, Profile profile, Media avatar, Instant exportedAt, List<Conversation> conversations, Map<String, Media> found,
            OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>ChatApp: your data</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
                .m{margin:.4rem 0;padding:.4rem .6rem;border-radius:.4rem;background:#f2f2f2}
                .mine{background:#e3f0ff}.meta{color:#666;font-size:.8rem}.deleted{font-style:italic;color:#888}
                img,video{max-width:20rem;display:block}
                blockquote{margin:.2rem 0;padding-left:.5rem;border-left:3px solid #bbb}
                </style></head><body>
                """);
        w.write("<h1>Your ChatApp data</h1>\n<p class=\"meta\">Exported " + esc(exportedAt.toString())
                + ". The same data, machine-readable: <a href=\"index.json\">index.json</a>.</p>\n");
        w.write("<h2>Profile</h2>\n<dl>");
        w.write("<dt>Username</dt><dd>" + esc(user.username()) + "</dd>");
        w.write("<dt>Email</dt><dd>" + esc(user.email()) + "</dd>");
        w.write("<dt>Account type</dt><dd>" + esc(user.userType().wire()) + "</dd>");
        if (user.specialization() != null) {
            w.write("<dt>Specialization</dt><dd>" + esc(user.specialization()) + "</dd>");
        }
        if (user.childrenCount() != null) {
            w.write("<dt>Children</dt><dd>" + user.childrenCount() + "</dd>");
        }
        for (String[] field : new String[][] {{"Display name", profile.displayName()}, {"Bio", profile.bio()},
                {"Credentials", profile.credentials()}, {"Practice", profile.practice()}}) {
            if (field[1] != null) {
                w.write("<dt>" + field[0] + "</dt><dd>" + esc(field[1]) + "</dd>");
            }
        }
        if (avatar != null) {
            w.write("<dt>Avatar</dt><dd><img src=\"" + esc(fileOf(avatar)) + "\" alt=\"Your avatar\"></dd>");
        }
        w.write("<dt>Member since</dt><dd>" + esc(user.createdAt().toString()) + "</dd></dl>\n");
        w.write("<h2>Conversations</h2>\n");
        if (conversations.isEmpty()) {
            w.write("<p>No conversations.</p>\n");
        }
        for (Conversation c : conversations) {
            String peer = c.peer() == null ? "Deleted account" : c.peer().username();
            w.write("<section><h3>With " + esc(peer) + "</h3>\n<p class=\"meta\">State: "
                    + esc(c.entry().consent().state().wire()) + "</p>\n");
            try {
                forEachMessage(c.entry().conversationId(), m -> {
                    try {
                        writeMessage(w, m, user, peer, found);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.write("</section>\n");
        }
        w.write("</body></html>\n");
        w.flush();
    }

    private void writeMessage(Writer w, Message m, User user, String peer, Map<String, Media> found)
            throws IOException {
        boolean mine = m.senderId().equals(user.userId());
        w.write("<div class=\"m" + (mine ? " mine" : "") + "\"><div class=\"meta\">"
                + esc(mine ? user.username() : peer) + " · " + esc(m.createdAt().toString())
                // read implies delivered: the delivery time is shown when it came before the read
                + (m.deliveredAt() != null && !m.deliveredAt().equals(m.readAt())
                        ? " · delivered " + esc(m.deliveredAt().toString()) : "")
                + (m.readAt() != null ? " · read " + esc(m.readAt().toString()) : "")
                + (m.editedAt() != null && !m.isDeleted() ? " · edited " + esc(m.editedAt().toString()) : "")
                + "</div>");
        String type = m.content().contentType();
        if (m.quote() != null && !m.isDeleted()) {
            // the quoted message as it is now: an edit shows, a deleted one's text never does
            String by = m.quote().senderId().equals(user.userId()) ? user.username() : peer;
            w.write("<blockquote class=\"meta\">Reply to " + esc(by) + ": "
                    + (Content.DELETED.equals(m.quote().contentType()) ? "<span class=\"deleted\">Message deleted</span>"
                            : esc(m.quote().excerpt()))
                    + "</blockquote>");
        }
        if (Content.DELETED.equals(type)) {
            w.write("<p class=\"deleted\">Message deleted"
                    + (m.deletedAt() != null ? " " + esc(m.deletedAt().toString()) : "") + "</p>");
        } else if (m.media() != null) {
            Media stored = mediaOf(m.media(), found);
            if (stored == null) {
                w.write("<p class=\"deleted\">This " + (Content.VIDEO.equals(type) ? "video" : "photo")
                        + " is no longer stored.</p>");
            } else {
                String file = fileOf(stored);
                w.write(Content.VIDEO.equals(type)
                        ? "<video controls src=\"" + file + "\"></video>"
                        : "<a href=\"" + file + "\"><img alt=\"photo\" src=\"" + file + "\"></a>");
            }
            if (m.content().caption() != null) {
                w.write("<p>" + esc(m.content().caption()) + "</p>");
            }
        } else {
            w.write("<p>" + esc(m.content().value()) + "</p>");
        }
        w.write("</div>\n");
    }

    /** HTML text and attribute escaping. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Lets a writer close over the zip entry without closing the zip. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
