package chatapp.importing;

import chatapp.account.AccountImport;
import chatapp.account.UserType;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.ConversationImport;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.core.ChatAppException;
import chatapp.account.UserStore;
import chatapp.media.Attachments;
import chatapp.media.Media;
import chatapp.media.MediaService;
import chatapp.media.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Brings the Django prototype's accounts and chats into ChatApp (issue 23; docs/operations.md;
 * docs/decisions/0039-prototype-import.md). First every account ({@link AccountImport}), then the
 * messages, grouped by their two participants into one conversation each
 * ({@link ConversationImport}), oldest first; photos and videos are fetched from their public
 * URLs and go through {@link MediaService} like any upload.
 *
 * <p>Idempotent: accounts and conversations have ids derived from the prototype's, and each
 * message a {@code clientMessageId} derived from its prototype key ({@code chatId},
 * {@code timestamp}); a message its conversation already holds is not sent, nor its media fetched,
 * again. Resumable: after each conversation a {@link Checkpoint} is written; a run that finds one
 * skips the conversations it lists and continues. Every row that cannot come over is refused with
 * its reason in the {@link ImportReport}, and the run goes on.
 */
public final class PrototypeImport {

    private final AccountImport accounts;
    private final ConversationImport conversations;
    private final MediaService media;
    private final Attachments attachments;
    private final MediaDownloads downloads;
    private final Clock clock;

    /**
     * @param media a media service without per-account upload limits (an import copies a whole
     *     history at once)
     */
    public PrototypeImport(UserStore users, ChatStore chats, MediaStore mediaStore, MediaService media,
            MediaDownloads downloads, Clock clock) {
        this.accounts = new AccountImport(users);
        this.conversations = new ConversationImport(chats);
        this.media = Objects.requireNonNull(media);
        this.attachments = new Attachments(mediaStore);
        this.downloads = Objects.requireNonNull(downloads);
        this.clock = clock;
    }

    /** One prototype message, read and checked for shape; participants still as the prototype's ids. */
    private record Row(String key, String where, String clientMessageId, String sender, String recipient,
            String type, String value, Instant createdAt, Instant readAt, String timestamp) {
    }

    /** A mapped account: its ChatApp id and type. */
    private record Account(String userId, UserType type) {
    }

    /**
     * Runs the import from {@code source}, continuing from the checkpoint in {@code checkpointFile}
     * if there is one (null: no checkpoint). Refused rows are in the report; only a failure of
     * the source or of ChatApp's store stops the run (it can then be run again).
     *
     * @param progress one line per step, without private data
     */
    public ImportReport run(PrototypeSource source, Path checkpointFile, Consumer<String> progress) {
        Checkpoint checkpoint = new Checkpoint(checkpointFile);
        ImportReport report = new ImportReport();
        report.started(source.describe(), clock.instant(), checkpoint.resumed());
        if (checkpoint.resumed()) {
            progress.accept("continuing an interrupted import (" + checkpointFile + ")");
        }
        Map<String, Account> users = users(source, report);
        progress.accept("accounts: " + users.size() + " ready, " + report.count("users.refused") + " refused");
        Map<String, List<Row>> byConversation = messages(source, users, report);
        ImportReport tally = checkpoint.tally();
        int n = 0;
        for (Map.Entry<String, List<Row>> c : byConversation.entrySet()) {
            n++;
            if (checkpoint.done(c.getKey())) {
                report.add("conversations.doneBefore");
                continue;
            }
            long before = tally.count("messages.created");
            conversation(c.getKey(), c.getValue(), users, tally);
            report.add("conversations.imported");
            checkpoint.finished(c.getKey());
            progress.accept("conversation " + n + "/" + byConversation.size() + ": " + c.getValue().size()
                    + " messages, " + (tally.count("messages.created") - before) + " new");
        }
        report.add(tally);
        report.finished(clock.instant());
        checkpoint.clear();
        return report;
    }

    private Map<String, Account> users(PrototypeSource source, ImportReport report) {
        Map<String, Account> users = new HashMap<>();
        Set<String> seen = new HashSet<>();
        source.users(row -> {
            report.add("users.read");
            if (row.problem() != null) {
                report.refuse("users", row.where(), null, row.problem());
                return;
            }
            String id = row.text("userId");
            if (id == null || id.isBlank()) {
                report.refuse("users", row.where(), null, "no userId");
                return;
            }
            if (!seen.add(id)) {
                report.refuse("users", row.where(), id, "userId appears twice (the first row is taken)");
                return;
            }
            try {
                Integer children = row.attributes().get("childrenCount") instanceof BigDecimal b ? b.intValueExact()
                        : null;
                if (row.attributes().get("childrenCount") instanceof String s && !s.isBlank()) {
                    children = Integer.valueOf(s.strip());
                }
                Instant createdAt = row.instant("createdAt");
                var imported = accounts.bringOver(new AccountImport.PrototypeAccount(id, row.text("username"),
                        row.text("email"), row.text("password"), row.text("userType"), row.text("specialization"),
                        children, createdAt == null ? clock.instant() : createdAt));
                users.put(id, new Account(imported.userId(), imported.userType()));
                report.mapUser(id, imported.userId());
                report.add(switch (imported.outcome()) {
                    case CREATED -> "users.created";
                    case CREATED_RESET_REQUIRED -> "users.createdMustResetPassword";
                    case ALREADY_THERE -> "users.alreadyThere";
                });
            } catch (ArithmeticException | NumberFormatException e) {
                report.refuse("users", row.where(), id, "childrenCount: is not a whole number");
            } catch (IllegalArgumentException e) {
                report.refuse("users", row.where(), id, e.getMessage());
            } catch (ChatAppException e) {
                report.refuse("users", row.where(), id, switch (e.code()) {
                    case EMAIL_TAKEN -> "email: belongs to another ChatApp account";
                    case USERNAME_TAKEN -> "username: belongs to another ChatApp account";
                    default -> AccountImport.describe(e);
                });
            }
        });
        return users;
    }

    /** Reads and checks every chats row; the good ones grouped by conversation, oldest first. */
    private Map<String, List<Row>> messages(PrototypeSource source, Map<String, Account> users, ImportReport report) {
        Map<String, List<Row>> byConversation = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        source.chats(item -> {
            report.add("messages.read");
            Row row;
            try {
                row = row(item);
            } catch (IllegalArgumentException e) {
                report.refuse("chats", item.where(), key(item), e.getMessage());
                return;
            }
            if (!keys.add(row.key())) {
                report.refuse("chats", row.where(), row.key(), "chatId and timestamp appear twice (the first is taken)");
                return;
            }
            Account sender = users.get(row.sender());
            Account recipient = users.get(row.recipient());
            String problem = sender == null ? "senderId: no such account (unknown or refused)"
                    : recipient == null ? "recipientId: no such account (unknown or refused)"
                    : sender.userId().equals(recipient.userId()) ? "the sender is the recipient"
                    : sender.type() == recipient.type() ? "both participants are " + sender.type().wire()
                            + "s; ChatApp conversations are between a parent and a therapist"
                    : null;
            if (problem != null) {
                report.refuse("chats", row.where(), row.key(), problem);
                return;
            }
            byConversation.computeIfAbsent(ConversationImport.conversationId(sender.userId(), recipient.userId()),
                    c -> new ArrayList<>()).add(row);
        });
        byConversation.values().forEach(rows -> rows.sort(Comparator.comparing(Row::createdAt)
                .thenComparing(Row::timestamp).thenComparing(Row::key)));
        return byConversation;
    }

    private static String key(PrototypeRow item) {
        String chatId = item.text("chatId");
        String timestamp = item.text("timestamp");
        return chatId == null || timestamp == null ? null : chatId + "/" + timestamp;
    }

    /** @throws IllegalArgumentException saying what is missing or malformed */
    private static Row row(PrototypeRow item) {
        if (item.problem() != null) {
            throw new IllegalArgumentException(item.problem());
        }
        String chatId = item.text("chatId");
        String timestamp = item.text("timestamp");
        if (chatId == null || chatId.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new IllegalArgumentException("no chatId or timestamp");
        }
        String sender = item.text("senderId");
        if (sender == null || sender.isBlank()) {
            throw new IllegalArgumentException("no senderId");
        }
        String recipient = item.text("recipientId");
        if (recipient == null && item.attributes().get("participants") instanceof List<?> participants) {
            List<String> others = participants.stream().map(String::valueOf).filter(p -> !p.equals(sender)).toList();
            if (participants.size() != 2 || others.size() != 1) {
                throw new IllegalArgumentException("participants: must be the sender and one other account");
            }
            recipient = others.getFirst();
        }
        if (recipient == null || recipient.isBlank()) {
            throw new IllegalArgumentException("no recipientId or participants");
        }
        if (!(item.attributes().get("content") instanceof Map<?, ?> content)) {
            throw new IllegalArgumentException("no content {type, value}");
        }
        String type = content.get("type") instanceof String t ? t : content.get("contentType") instanceof String t2 ? t2 : null;
        if (!Content.TEXT.equals(type) && !Content.IMAGE.equals(type) && !Content.VIDEO.equals(type)) {
            throw new IllegalArgumentException("content.type: must be text, image or video");
        }
        if (!(content.get("value") instanceof String value)) {
            throw new IllegalArgumentException("content.value: is missing");
        }
        Instant createdAt = item.instant("createdAt");
        if (createdAt == null) {
            createdAt = item.instant("timestamp");
        }
        Instant readAt = item.instant("readAt");
        String key = chatId + "/" + timestamp;
        return new Row(key, item.where(), clientMessageId(chatId, timestamp), sender, recipient, type, value,
                createdAt.truncatedTo(ChronoUnit.MILLIS),
                readAt == null ? null : readAt.truncatedTo(ChronoUnit.MILLIS), timestamp);
    }

    /**
     * The {@code clientMessageId} of a prototype message: {@code prototype-} and 128 bits of
     * SHA-256 over its key, so that a second run's send is a replay of the first's.
     */
    static String clientMessageId(String chatId, String timestamp) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("prototype-message\0" + chatId + "\0" + timestamp).getBytes(StandardCharsets.UTF_8));
            return "prototype-" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private void conversation(String conversationId, List<Row> rows, Map<String, Account> users, ImportReport tally) {
        Map<ConversationImport.Key, Message> stored = conversations.stored(conversationId);
        boolean open = !stored.isEmpty();
        for (Row row : rows) {
            String senderId = users.get(row.sender()).userId();
            String recipientId = users.get(row.recipient()).userId();
            Message earlier = stored.get(new ConversationImport.Key(senderId, row.clientMessageId()));
            if (earlier != null) {
                tally.add("messages.alreadyThere");
                if (earlier.readAt() == null && row.readAt() != null) {
                    conversations.read(earlier, row.readAt());
                    tally.add("messages.readReceipts");
                }
                continue;
            }
            NewMessage message;
            try {
                message = message(conversationId, senderId, recipientId, row, tally);
            } catch (ChatAppException e) {
                tally.refuse("chats", row.where(), row.key(), AccountImport.describe(e));
                continue;
            } catch (MediaDownloads.Failed e) {
                tally.refuse("chats", row.where(), row.key(), e.getMessage());
                tally.add("media.refused");
                continue;
            }
            if (!open) { // only once a message comes over: no empty conversations
                conversations.open(senderId, recipientId, row.createdAt());
                open = true;
            }
            Message sent = conversations.bringOver(message, row.readAt());
            tally.add("messages.created");
            if (row.readAt() != null) {
                tally.add("messages.readReceipts");
            }
            if (sent.media() != null) {
                tally.add("media.copied");
            }
        }
    }

    private NewMessage message(String conversationId, String senderId, String recipientId, Row row, ImportReport tally)
            throws MediaDownloads.Failed {
        if (Content.TEXT.equals(row.type())) {
            Content content = Content.text(row.value());
            ConversationImport.check(senderId, row.clientMessageId(), content);
            return new NewMessage(conversationId, senderId, recipientId, row.clientMessageId(), row.createdAt(),
                    content, null);
        }
        Path file = downloads.fetch(row.value());
        Media uploaded;
        try (InputStream in = Files.newInputStream(file)) {
            uploaded = media.upload(senderId, in);
        } catch (IOException e) {
            throw new MediaDownloads.Failed("the downloaded media could not be read");
        } catch (ChatAppException e) {
            tally.add("media.refused");
            throw e;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // left in the spool folder, cleared at the next start
            }
        }
        // the kind ChatApp found in the bytes wins over the prototype's label
        String kind = uploaded.format().messageContentType();
        Media m = attachments.attach(senderId, uploaded.mediaId(), kind, recipientId);
        return new NewMessage(conversationId, senderId, recipientId, row.clientMessageId(), row.createdAt(),
                new Content(kind, m.mediaId()), new MediaRef(m.mediaId(), m.format().contentType(), m.size(),
                        m.width(), m.height(), m.durationMs()));
    }
}
