package chatapp.embedded;

import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConversationState;
import chatapp.chat.Content;
import chatapp.chat.InboxEntry;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.chat.Quote;
import chatapp.chat.SearchQuery;
import chatapp.chat.Sent;
import chatapp.core.Page;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link ChatStore} on SQLite: tables {@code chats} and {@code conversations} (V3__chat.sql;
 * the idempotency guard is the unique index on (conversation, sender, clientMessageId), V7;
 * consent columns, V10).
 * Every write runs on {@link SqliteDatabase}'s single writer, so a send reads the conversation's
 * newest message id and appends the next one without any other writer in between: message id
 * order is commit order. Reads are index range reads.
 */
public final class SqliteChatStore implements ChatStore {

    private static final String MESSAGE_COLUMNS = """
            m.conversation_id, m.message_id, m.sender_id, m.recipient_id, m.created_at, m.content_type,
            m.content_value, m.media_id, m.media_content_type, m.media_size, m.media_width, m.media_height,
            m.media_duration_ms, m.client_message_id, m.read_at, m.content_caption, m.media_poster,
            m.delivered_at, m.edited_at, m.deleted_at,
            m.reply_to_id, m.reply_to_sender_id, q.content_type as q_content_type, q.content_value as q_content_value""";
    /** The messages with the message each quotes (a reply's quote is made from it as it is now). */
    private static final String FROM_CHATS = " from chats m left join chats q"
            + " on q.conversation_id = m.conversation_id and q.message_id = m.reply_to_id";

    private final SqliteDatabase db;

    public SqliteChatStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public boolean createConversation(String conversationId, String userId, String peerId, Instant at,
            Consent consent) {
        return db.write(h -> {
            int created = insertRow(h, userId, conversationId, peerId, at, consent);
            insertRow(h, peerId, conversationId, userId, at, consent);
            return created == 1;
        });
    }

    private static int insertRow(Handle h, String userId, String conversationId, String peerId, Instant at,
            Consent consent) {
        return h.createUpdate("""
                        insert into conversations (user_id, conversation_id, peer_id, unread_count, updated_at,
                            state, requested_by, blocked_by)
                        values (?, ?, ?, 0, ?, ?, ?, ?) on conflict do nothing""")
                .bind(0, userId).bind(1, conversationId).bind(2, peerId).bind(3, at.toEpochMilli())
                .bind(4, consent.state().wire()).bind(5, consent.requestedBy()).bind(6, consent.blockedBy())
                .execute();
    }

    @Override
    public boolean changeConsent(String conversationId, String userId, String peerId, Consent expected, Consent next) {
        return db.write(h -> {
            // The single writer runs this read and both updates with no other write in between.
            Optional<Consent> current = h.createQuery("select state, requested_by, blocked_by from conversations"
                            + " where user_id = ? and conversation_id = ?")
                    .bind(0, userId).bind(1, conversationId)
                    .map((rs, ctx) -> consent(rs)).findOne();
            if (current.isEmpty() || !current.get().equals(expected)) {
                return false;
            }
            int n = h.createUpdate("update conversations set state = ?, requested_by = ?, blocked_by = ?"
                            + " where conversation_id = ? and user_id in (?, ?)")
                    .bind(0, next.state().wire()).bind(1, next.requestedBy()).bind(2, next.blockedBy())
                    .bind(3, conversationId).bind(4, userId).bind(5, peerId)
                    .execute();
            if (n != 2) {
                throw new IllegalStateException("conversation " + conversationId + " lacks a row");
            }
            return true;
        });
    }

    /**
     * Rows of {@link ChatStore.Folder#REQUESTS} ({@link Consent#awaits}): a request that is
     * pending or declined, made by the peer; its parameter is the user's own id.
     */
    private static final String AWAITS = "(c.state in ('requested', 'declined') and c.requested_by <> ?)";

    /**
     * Read by every send (its consent) and every typing frame: on a statement prepared once per
     * read connection, not JDBI's (docs/benchmarks.md, "The send path and the start against
     * before issue 19").
     */
    @Override
    public Optional<InboxEntry> inboxEntry(String userId, String conversationId) {
        return db.query(INBOX_ENTRY, p -> {
            p.setString(1, userId);
            p.setString(2, conversationId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(inboxEntry(rs)) : Optional.empty();
            }
        });
    }

    /**
     * Read by every send: the row's partner and consent, without the last message the whole row
     * joins (a prepared statement of four columns instead of 32; docs/decisions/0072-websocket-message-cpu-2.md).
     */
    @Override
    public Optional<Contact> contact(String userId, String conversationId) {
        return db.query(CONTACT, p -> {
            p.setString(1, userId);
            p.setString(2, conversationId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new Contact(rs.getString(1), new Consent(
                        ConversationState.fromWire(rs.getString(2)), rs.getString(3), rs.getString(4))))
                        : Optional.empty();
            }
        });
    }

    private static final String CONTACT = "select peer_id, state, requested_by, blocked_by from conversations"
            + " where user_id = ? and conversation_id = ?";

    private static final String INBOX_SELECT = "select c.user_id, c.conversation_id as c_conversation_id, c.peer_id,"
            + " c.unread_count, c.updated_at, c.state, c.requested_by, c.blocked_by, " + MESSAGE_COLUMNS
            + " from conversations c"
            + " left join chats m on m.conversation_id = c.conversation_id and m.message_id = c.last_message_id"
            + " left join chats q on q.conversation_id = m.conversation_id and q.message_id = m.reply_to_id";
    private static final String INBOX_ENTRY = INBOX_SELECT + " where c.user_id = ? and c.conversation_id = ?";

    @Override
    public Page<InboxEntry> inbox(String userId, Folder folder, int limit, String position) {
        String inFolder = folder == Folder.REQUESTS ? " and " + AWAITS : " and not " + AWAITS;
        List<InboxEntry> rows = db.read(h -> {
            if (position == null) {
                return h.createQuery(INBOX_SELECT + " where c.user_id = ?" + inFolder
                                + " order by c.updated_at desc, c.conversation_id desc limit ?")
                        .bind(0, userId).bind(1, userId).bind(2, limit + 1)
                        .map((rs, ctx) -> inboxEntry(rs)).list();
            }
            int colon = position.indexOf(':');
            long updatedAt = Long.parseLong(position.substring(0, colon));
            String conversationId = position.substring(colon + 1);
            return h.createQuery(INBOX_SELECT + " where c.user_id = ?" + inFolder
                            + " and (c.updated_at, c.conversation_id) < (?, ?)"
                            + " order by c.updated_at desc, c.conversation_id desc limit ?")
                    .bind(0, userId).bind(1, userId).bind(2, updatedAt).bind(3, conversationId).bind(4, limit + 1)
                    .map((rs, ctx) -> inboxEntry(rs)).list();
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<InboxEntry> page = rows.subList(0, limit);
        InboxEntry last = page.getLast();
        return new Page<>(page, last.updatedAt().toEpochMilli() + ":" + last.conversationId());
    }

    /** A column a message is stored in, and its value for a message. */
    private record Column(String name, Function<Message, Object> value) {
    }

    /**
     * The columns of a stored message, in one list: both inserts take their column names,
     * placeholders and bindings from it, so a new column cannot shift a binding. Columns written
     * later (delivered, edited, deleted) are not in it.
     */
    private static final List<Column> STORED = List.of(
            new Column("conversation_id", Message::conversationId),
            new Column("message_id", Message::messageId),
            new Column("sender_id", Message::senderId),
            new Column("recipient_id", Message::recipientId),
            new Column("created_at", m -> m.createdAt().toEpochMilli()),
            new Column("content_type", m -> m.content().contentType()),
            new Column("content_value", m -> m.content().value()),
            new Column("content_caption", m -> m.content().caption()),
            new Column("media_id", m -> m.media() == null ? null : m.media().mediaId()),
            new Column("media_content_type", m -> m.media() == null ? null : m.media().contentType()),
            new Column("media_size", m -> m.media() == null ? null : m.media().size()),
            new Column("media_width", m -> m.media() == null ? null : m.media().width()),
            new Column("media_height", m -> m.media() == null ? null : m.media().height()),
            new Column("media_duration_ms", m -> m.media() == null ? null : m.media().durationMs()),
            new Column("media_poster", m -> m.media() == null || m.media().poster() == null ? null
                    : m.media().poster() ? 1 : 0),
            new Column("client_message_id", Message::clientMessageId),
            new Column("read_at", m -> m.readAt() == null ? null : m.readAt().toEpochMilli()),
            new Column("reply_to_id", m -> m.quote() == null ? null : m.quote().messageId()),
            new Column("reply_to_sender_id", m -> m.quote() == null ? null : m.quote().senderId()));

    /** The columns of {@code chats} a message gets after it is stored (delivery, edit, deletion). */
    static final List<String> WRITTEN_LATER = List.of("delivered_at", "edited_at", "deleted_at");

    /** The names of {@link #STORED}, in order: for the test that holds them to the table. */
    static List<String> storedColumns() {
        return STORED.stream().map(Column::name).toList();
    }

    private static final String INSERT_MESSAGE = "insert into chats ("
            + STORED.stream().map(Column::name).collect(Collectors.joining(", ")) + ") values ("
            + STORED.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    /** The guard: a second message of this sender with this clientMessageId inserts nothing. */
    private static final String SEND_MESSAGE = INSERT_MESSAGE
            + " on conflict (conversation_id, sender_id, client_message_id) do nothing";
    private static final String NEWEST = "select max(message_id) from chats where conversation_id = ?";
    /** The newest message id and the sender's consent state, read by the send's write in one statement. */
    private static final String NEWEST_AND_STATE = "select max(message_id), (select state from conversations"
            + " where user_id = ? and conversation_id = ?) from chats where conversation_id = ?";
    /** Both inbox rows in one statement: the recipient's (user_id = peer) counts one more unread. */
    private static final String TOUCH_ROWS = "update conversations set last_message_id = ?,"
            + " updated_at = max(updated_at, ?), unread_count = unread_count + (user_id = ?)"
            + " where conversation_id = ? and user_id in (?, ?)";
    private static final String ORIGINAL = "select " + MESSAGE_COLUMNS
            + FROM_CHATS + " where m.conversation_id = ? and m.sender_id = ? and m.client_message_id = ?";

    /**
     * One atomic write on the single writer, in three statements prepared once on the write
     * connection (docs/benchmarks.md, "The writer's cost per message"): the conversation's newest
     * id, the message inserted unless the sender's guard (the unique index on conversation,
     * sender and clientMessageId) already holds it, then both inbox rows. The single writer makes
     * read-then-append safe: no other write runs in between.
     */
    @Override
    public Sent send(NewMessage m) {
        String suffix = ChatStore.messageIdSuffix(); // the random draw, outside the writer
        return db.write(h -> {
            try {
                return append(m, suffix);
            } catch (SQLException e) {
                throw new IllegalStateException("could not store a message of conversation " + m.conversationId(), e);
            }
        });
    }

    /** As {@link #send}, queued on the single writer without waiting ({@link SqliteDatabase#writeAsync}). */
    @Override
    public void sendAsync(NewMessage m, java.util.concurrent.CompletableFuture<Sent> result) {
        String suffix = ChatStore.messageIdSuffix();
        try {
            db.writeAsync(h -> {
                try {
                    return append(m, suffix);
                } catch (SQLException e) {
                    throw new IllegalStateException("could not store a message of conversation " + m.conversationId(), e);
                }
            }, result);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private Sent append(NewMessage m, String suffix) throws SQLException {
        PreparedStatement newest = db.prepared(NEWEST_AND_STATE);
        newest.setString(1, m.senderId());
        newest.setString(2, m.conversationId());
        newest.setString(3, m.conversationId());
        String last;
        boolean blocked;
        try (ResultSet rs = newest.executeQuery()) {
            rs.next();
            last = rs.getString(1);
            blocked = ConversationState.BLOCKED.wire().equals(rs.getString(2));
        }
        if (blocked) {
            // Blocked (or closed by an account's deletion) since the service's check (ChatStore#send);
            // a replay of a message stored before still returns it.
            Message replayed = originalOrNull(m);
            if (replayed == null) {
                throw new ChatStore.Closed(m.conversationId());
            }
            return new Sent(replayed, false);
        }
        if (m.introduction() && last != null) {
            // One introduction (ChatStore#send); a replay of the introduction itself returns it.
            Message replayed = originalOrNull(m);
            if (replayed == null) {
                throw new ChatStore.NotFirst(m.conversationId());
            }
            return new Sent(replayed, false);
        }
        Message stored = m.withId(ChatStore.messageId(last == null ? 1 : ChatStore.sequenceOf(last) + 1, suffix));
        PreparedStatement insert = db.prepared(SEND_MESSAGE);
        bindMessage(insert, stored);
        if (insert.executeUpdate() == 0) {
            return new Sent(original(m), false);
        }
        PreparedStatement touch = db.prepared(TOUCH_ROWS);
        touch.setString(1, stored.messageId());
        touch.setLong(2, stored.createdAt().toEpochMilli());
        touch.setString(3, stored.recipientId());
        touch.setString(4, stored.conversationId());
        touch.setString(5, stored.senderId());
        touch.setString(6, stored.recipientId());
        if (touch.executeUpdate() != 2) {
            throw new IllegalStateException("conversation " + m.conversationId() + " lacks an inbox row");
        }
        return new Sent(stored, true);
    }

    @Override
    public Optional<Message> sentAs(String conversationId, String senderId, String clientMessageId) {
        return db.read(h -> h.createQuery(ORIGINAL).bind(0, conversationId).bind(1, senderId).bind(2, clientMessageId)
                .map((rs, ctx) -> message(rs)).findOne());
    }

    /** The sender's stored message with the new message's clientMessageId: the guard's holder. */
    private Message original(NewMessage m) throws SQLException {
        Message original = originalOrNull(m);
        if (original == null) {
            throw new IllegalStateException("the guard of a message of " + m.conversationId() + " holds none");
        }
        return original;
    }

    private Message originalOrNull(NewMessage m) throws SQLException {
        PreparedStatement select = db.prepared(ORIGINAL);
        select.setString(1, m.conversationId());
        select.setString(2, m.senderId());
        select.setString(3, m.clientMessageId());
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? message(rs) : null;
        }
    }

    /** Binds {@link #STORED} to a statement of {@link #INSERT_MESSAGE} (the writer's, prepared once). */
    private static void bindMessage(PreparedStatement p, Message m) throws SQLException {
        for (int i = 0; i < STORED.size(); i++) {
            p.setObject(i + 1, STORED.get(i).value().apply(m));
        }
    }

    private static void insert(Handle h, Message m) {
        Update u = h.createUpdate(INSERT_MESSAGE);
        for (int i = 0; i < STORED.size(); i++) {
            u.bind(i, STORED.get(i).value().apply(m));
        }
        u.execute();
    }

    @Override
    public Optional<Message> message(String conversationId, String messageId) {
        return db.read(h -> h.createQuery("select " + MESSAGE_COLUMNS
                        + FROM_CHATS + " where m.conversation_id = ? and m.message_id = ?")
                .bind(0, conversationId).bind(1, messageId)
                .map((rs, ctx) -> message(rs)).findOne());
    }

    @Override
    public List<Message> before(String conversationId, String beforeMessageId, int limit) {
        // '~' sorts after every character of a message id: no bound means from the newest.
        return range(conversationId, "<", beforeMessageId == null ? "~" : beforeMessageId, "desc", limit);
    }

    @Override
    public List<Message> after(String conversationId, String afterMessageId, int limit) {
        return range(conversationId, ">", afterMessageId == null ? "" : afterMessageId, "asc", limit);
    }

    /** One primary-key range read of a conversation's messages. */
    private List<Message> range(String conversationId, String comparison, String bound, String order, int limit) {
        return db.read(h -> h.createQuery("select " + MESSAGE_COLUMNS + FROM_CHATS + " where m.conversation_id = ?"
                        + " and m.message_id " + comparison + " ? order by m.message_id " + order + " limit ?")
                .bind(0, conversationId).bind(1, bound).bind(2, limit)
                .map((rs, ctx) -> message(rs)).list());
    }

    @Override
    public int markRead(String conversationId, String readerId, String upToMessageId, Instant readAt) {
        return db.write(h -> {
            // chats_unread holds only unread rows: this touches the backlog, not the history.
            int n = h.createUpdate("update chats set read_at = ?, delivered_at = coalesce(delivered_at, ?)"
                            + " where conversation_id = ? and recipient_id = ? and read_at is null and message_id <= ?")
                    .bind(0, readAt.toEpochMilli()).bind(1, readAt.toEpochMilli()).bind(2, conversationId)
                    .bind(3, readerId).bind(4, upToMessageId)
                    .execute();
            if (n > 0) {
                h.createUpdate("update conversations set unread_count = unread_count - ?"
                                + " where user_id = ? and conversation_id = ?")
                        .bind(0, n).bind(1, readerId).bind(2, conversationId).execute();
            }
            return n;
        });
    }

    @Override
    public int markDelivered(String conversationId, String recipientId, String upToMessageId, Instant deliveredAt) {
        // Undelivered implies unread, so chats_unread bounds this to the backlog, as for markRead.
        return db.write(h -> h.createUpdate("update chats set delivered_at = ? where conversation_id = ?"
                        + " and recipient_id = ? and read_at is null and delivered_at is null and message_id <= ?")
                .bind(0, deliveredAt.toEpochMilli()).bind(1, conversationId).bind(2, recipientId)
                .bind(3, upToMessageId).execute());
    }

    @Override
    public Optional<Message> edit(String conversationId, String messageId, String senderId, String text,
            Instant editedAt) {
        return db.write(h -> {
            int n = h.createUpdate("update chats set content_value = ?, edited_at = ? where conversation_id = ?"
                            + " and message_id = ? and sender_id = ? and content_type = ?")
                    .bind(0, text).bind(1, editedAt.toEpochMilli()).bind(2, conversationId).bind(3, messageId)
                    .bind(4, senderId).bind(5, Content.TEXT).execute();
            return n == 0 ? Optional.<Message>empty() : find(h, conversationId, messageId);
        });
    }

    /** One write: the message as it was, then its tombstone (the single writer runs both with nothing between). */
    @Override
    public Optional<Message> deleteForEveryone(String conversationId, String messageId, String senderId,
            Instant deletedAt) {
        return db.write(h -> {
            Optional<Message> before = find(h, conversationId, messageId)
                    .filter(m -> m.senderId().equals(senderId) && !m.isDeleted());
            if (before.isPresent()) {
                h.createUpdate("update chats set content_type = ?, content_value = '', media_id = null,"
                                + " media_content_type = null, media_size = null, media_width = null, media_height = null,"
                                + " media_duration_ms = null, content_caption = null, media_poster = null,"
                                + " reply_to_id = null, reply_to_sender_id = null,"
                                + " deleted_at = ? where conversation_id = ? and message_id = ?")
                        .bind(0, Content.DELETED).bind(1, deletedAt.toEpochMilli()).bind(2, conversationId)
                        .bind(3, messageId).execute();
            }
            return before;
        });
    }

    private static Optional<Message> find(Handle h, String conversationId, String messageId) {
        return h.createQuery("select " + MESSAGE_COLUMNS + FROM_CHATS + " where m.conversation_id = ? and m.message_id = ?")
                .bind(0, conversationId).bind(1, messageId).map((rs, ctx) -> message(rs)).findOne();
    }

    @Override
    public List<Contact> contacts(String userId) {
        return db.read(h -> h.createQuery("select peer_id, state, requested_by, blocked_by from conversations"
                        + " where user_id = ?")
                .bind(0, userId).map((rs, ctx) -> new Contact(rs.getString("peer_id"), consent(rs))).list());
    }

    /**
     * Account deletion: one write that lists the sender's media in the conversation and turns
     * every message of theirs into a tombstone (by the primary key's conversation prefix).
     */
    @Override
    public List<MediaRef> eraseMessagesOf(String conversationId, String senderId) {
        return db.write(h -> {
            List<MediaRef> media = h.createQuery("select " + MESSAGE_COLUMNS + FROM_CHATS
                            + " where m.conversation_id = ? and m.sender_id = ? and m.media_id is not null")
                    .bind(0, conversationId).bind(1, senderId)
                    .map((rs, ctx) -> message(rs).media()).list();
            h.createUpdate("update chats set content_type = ?, content_value = '', media_id = null,"
                            + " media_content_type = null, media_size = null, media_width = null, media_height = null,"
                            + " media_duration_ms = null, content_caption = null, media_poster = null,"
                            + " reply_to_id = null, reply_to_sender_id = null"
                            + " where conversation_id = ? and sender_id = ? and content_type <> ?")
                    .bind(0, Content.DELETED).bind(1, conversationId).bind(2, senderId).bind(3, Content.DELETED)
                    .execute();
            Map<String, MediaRef> once = new java.util.LinkedHashMap<>();
            media.forEach(ref -> once.putIfAbsent(ref.mediaId(), ref));
            return List.copyOf(once.values());
        });
    }

    /**
     * Account deletion: one write that removes the recipient's row of a request never accepted
     * (its {@code requested_by} still the requester) and the conversation's messages.
     */
    @Override
    public boolean removeRequest(String conversationId, String requesterId, String recipientId) {
        return db.write(h -> {
            int removed = h.createUpdate("delete from conversations where user_id = ? and conversation_id = ?"
                            + " and requested_by = ?")
                    .bind(0, recipientId).bind(1, conversationId).bind(2, requesterId).execute();
            if (removed == 0) {
                return false;
            }
            h.createUpdate("delete from chats where conversation_id = ?").bind(0, conversationId).execute();
            return true;
        });
    }

    /**
     * Retention: one write that reads the conversation's oldest messages by the primary key,
     * deletes the leading ones older than the cutoff (their rows are their idempotency guards) and
     * lowers the recipients' unread counts by the unread ones among them.
     */
    @Override
    public List<Message> deleteMessagesBefore(String conversationId, Instant cutoff, int limit) {
        return db.write(h -> {
            List<Message> oldest = h.createQuery("select " + MESSAGE_COLUMNS + FROM_CHATS
                            + " where m.conversation_id = ? order by m.message_id limit ?")
                    .bind(0, conversationId).bind(1, limit)
                    .map((rs, ctx) -> message(rs)).list();
            List<Message> expired = new ArrayList<>();
            for (Message m : oldest) {
                if (!m.createdAt().isBefore(cutoff)) {
                    break;
                }
                expired.add(m);
            }
            if (expired.isEmpty()) {
                return expired;
            }
            h.createUpdate("delete from chats where conversation_id = ? and message_id <= ?")
                    .bind(0, conversationId).bind(1, expired.getLast().messageId()).execute();
            Map<String, Integer> unread = new HashMap<>();
            for (Message m : expired) {
                if (m.readAt() == null) {
                    unread.merge(m.recipientId(), 1, Integer::sum);
                }
            }
            unread.forEach((user, n) -> h.createUpdate("update conversations set unread_count = max(0, unread_count - ?)"
                            + " where user_id = ? and conversation_id = ?")
                    .bind(0, n).bind(1, user).bind(2, conversationId).execute());
            return expired;
        });
    }

    /**
     * Ids of conversations with messages, after {@code afterConversationId} (null: from the
     * first), in id order, at most {@code limit}: what the retention job on one machine walks
     * (read along the primary key of {@code chats}).
     */
    public List<String> conversationIds(String afterConversationId, int limit) {
        return db.read(h -> h.createQuery("select distinct conversation_id from chats where conversation_id > ?"
                        + " order by conversation_id limit ?")
                .bind(0, afterConversationId == null ? "" : afterConversationId).bind(1, limit)
                .mapTo(String.class).list());
    }

    private static Consent consent(ResultSet rs) throws SQLException {
        return new Consent(ConversationState.fromWire(rs.getString("state")), rs.getString("requested_by"),
                rs.getString("blocked_by"));
    }

    /**
     * Bulk load of existing messages into existing conversations (seeding, benchmarks, imports):
     * one write, inbox rows updated to the newest message and counted unread. Ids must come from
     * {@link ChatStore#messageId} and be newer than any stored message of their conversation;
     * not for use while the conversation takes sends.
     */
    public void importMessages(List<Message> messages) {
        db.write(h -> {
            Map<String, List<Message>> byConversation = new HashMap<>();
            for (Message m : messages) {
                insert(h, m);
                byConversation.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
            }
            for (List<Message> ms : byConversation.values()) {
                Message newest = ms.stream().max(Comparator.comparing(Message::messageId)).orElseThrow();
                Map<String, Integer> unread = new HashMap<>();
                for (Message m : ms) {
                    if (m.readAt() == null) {
                        unread.merge(m.recipientId(), 1, Integer::sum);
                    }
                }
                for (String user : List.of(newest.senderId(), newest.recipientId())) {
                    h.createUpdate("update conversations set last_message_id = ?, updated_at = max(updated_at, ?),"
                                    + " unread_count = unread_count + ? where user_id = ? and conversation_id = ?")
                            .bind(0, newest.messageId()).bind(1, newest.createdAt().toEpochMilli())
                            .bind(2, unread.getOrDefault(user, 0)).bind(3, user).bind(4, newest.conversationId())
                            .execute();
                }
            }
            return null;
        });
    }

    /**
     * Search through the FTS5 index {@code chats_search} (V15): the query's words as quoted FTS5
     * strings ({@link SearchQuery#ftsQuery()}), the index's rowids joined to the messages and,
     * across, to the caller's inbox rows, so that only their conversations count. The index yields
     * every match of the words in the whole file; sorting them is in memory (docs/data-model.md,
     * "Search"). Positions: within, the last message id; across, createdAt:conversationId:messageId.
     */
    @Override
    public Page<Message> search(String userId, String conversationId, SearchQuery query, int limit, String position) {
        return db.read(h -> {
            List<Message> found;
            if (conversationId != null) {
                found = h.createQuery("select " + MESSAGE_COLUMNS + " from chats_search s"
                                + " join chats m on m.rowid = s.rowid"
                                + " left join chats q on q.conversation_id = m.conversation_id and q.message_id = m.reply_to_id"
                                + " where chats_search match ? and m.conversation_id = ? and m.content_type = 'text'"
                                + " and m.message_id < ? order by m.message_id desc limit ?")
                        .bind(0, query.ftsQuery()).bind(1, conversationId).bind(2, position == null ? "~" : position)
                        .bind(3, limit + 1)
                        .map((rs, ctx) -> message(rs)).list();
            } else {
                long at = Long.MAX_VALUE;
                String conversation = "";
                String message = "";
                if (position != null) {
                    String[] p = position.split(":", 3);
                    at = Long.parseLong(p[0]);
                    conversation = p[1];
                    message = p[2];
                }
                found = h.createQuery("select " + MESSAGE_COLUMNS + " from chats_search s"
                                + " join chats m on m.rowid = s.rowid"
                                + " left join chats q on q.conversation_id = m.conversation_id and q.message_id = m.reply_to_id"
                                + " join conversations c on c.conversation_id = m.conversation_id and c.user_id = ?"
                                + " where chats_search match ? and m.content_type = 'text'"
                                + " and (m.created_at < ? or (m.created_at = ? and (m.conversation_id < ?"
                                + " or (m.conversation_id = ? and m.message_id < ?))))"
                                + " order by m.created_at desc, m.conversation_id desc, m.message_id desc limit ?")
                        .bind(0, userId).bind(1, query.ftsQuery()).bind(2, at).bind(3, at).bind(4, conversation)
                        .bind(5, conversation).bind(6, message).bind(7, limit + 1)
                        .map((rs, ctx) -> message(rs)).list();
            }
            if (found.size() <= limit) {
                return new Page<>(found, null);
            }
            List<Message> items = found.subList(0, limit);
            Message last = items.getLast();
            String next = conversationId != null ? last.messageId()
                    : last.createdAt().toEpochMilli() + ":" + last.conversationId() + ":" + last.messageId();
            return new Page<>(items, next);
        });
    }

    /*
     * Rows are read by column position, never by name: the driver finds a name by comparing it
     * with every column's, case-insensitively, on each new result set, which cost a send's inbox
     * read more than the read itself (docs/benchmarks.md, "The WebSocket path's CPU per
     * message"). Every query read here starts with INBOX_SELECT's eight columns or with
     * MESSAGE_COLUMNS, in their order.
     */

    /** The columns of INBOX_SELECT before its MESSAGE_COLUMNS. */
    private static final int INBOX_COLUMNS = 8;

    private static InboxEntry inboxEntry(ResultSet rs) throws SQLException {
        Message last = rs.getString(INBOX_COLUMNS + 2) == null ? null : message(rs, INBOX_COLUMNS);
        return new InboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), last, rs.getLong(4),
                Instant.ofEpochMilli(rs.getLong(5)),
                new Consent(ConversationState.fromWire(rs.getString(6)), rs.getString(7), rs.getString(8)));
    }

    private static Message message(ResultSet rs) throws SQLException {
        return message(rs, 0);
    }

    /** The message in MESSAGE_COLUMNS, which follow the first {@code before} columns of the row. */
    private static Message message(ResultSet rs, int before) throws SQLException {
        int b = before;
        String mediaId = rs.getString(b + 8);
        Long poster = nullableLong(rs, b + 17);
        MediaRef media = mediaId == null ? null : new MediaRef(mediaId, rs.getString(b + 9),
                rs.getLong(b + 10), toInt(nullableLong(rs, b + 11)),
                toInt(nullableLong(rs, b + 12)), nullableLong(rs, b + 13),
                poster == null ? null : poster != 0);
        String replyTo = rs.getString(b + 21);
        Quote quote = null;
        if (replyTo != null) {
            String quotedType = rs.getString(b + 23);
            quote = Quote.of(replyTo, rs.getString(b + 22),
                    quotedType == null ? null : new Content(quotedType, rs.getString(b + 24)));
        }
        return new Message(rs.getString(b + 2), rs.getString(b + 1), rs.getString(b + 3),
                rs.getString(b + 4), Instant.ofEpochMilli(rs.getLong(b + 5)),
                new Content(rs.getString(b + 6), rs.getString(b + 7), rs.getString(b + 16)),
                media,
                rs.getString(b + 14), instant(rs, b + 15), instant(rs, b + 18),
                instant(rs, b + 19), instant(rs, b + 20), quote);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Long v = nullableLong(rs, column);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer toInt(Long v) {
        return v == null ? null : Math.toIntExact(v);
    }
}
