package chatapp.chat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.Page;
import chatapp.media.Media;
import chatapp.media.Attachments;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Conversations and messages (API.md "Conversation", "Message" and their endpoints; issue 13):
 * who may talk to whom, what a message may hold, who may read what. Every call checks that the
 * caller is a participant; a stranger gets 404 {@code not_found}, never content. Events go to
 * {@code events} only after the store has durably written.
 */
public final class ChatService {

    /** Entries of {@link #peers}: about 150 bytes each, so at most some 15 MB. */
    static final int KNOWN_PEERS = 100_000;

    private final ChatStore store;
    private final UserStore users;
    private final CursorCodec cursors;
    private final Clock clock;
    private final Consumer<ChatEvent> events;
    private final Attachments media;
    private final MessageLimit limit;
    /**
     * "userId conversationId" to the peer, for conversations the user is known to take part in.
     * A conversation's participants never change (its id is a function of the pair), so an entry
     * never goes stale; it saves the participant check's read on every send, page and typing
     * event. Only positive answers are kept: a stranger is always checked against the store.
     */
    private final Cache<String, String> peers = Caffeine.newBuilder().maximumSize(KNOWN_PEERS).build();

    /** Without media: photo and video messages are refused (tools and tests that send text). */
    public ChatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, Consumer<ChatEvent> events) {
        this(store, users, cursors, clock, events, null);
    }

    /** @param media which uploads a photo or video message may carry (null: such messages are refused) */
    public ChatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, Consumer<ChatEvent> events,
            Attachments media) {
        this(store, users, cursors, clock, events, media, MessageLimit.NONE);
    }

    /**
     * @param media which uploads a photo or video message may carry (null: such messages are refused)
     * @param limit messages per minute per sender account
     */
    public ChatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, Consumer<ChatEvent> events,
            Attachments media, MessageLimit limit) {
        this.limit = Objects.requireNonNull(limit);
        this.store = Objects.requireNonNull(store);
        this.users = Objects.requireNonNull(users);
        this.cursors = Objects.requireNonNull(cursors);
        this.clock = Objects.requireNonNull(clock);
        this.events = Objects.requireNonNull(events);
        this.media = media;
    }

    /**
     * Opens the one conversation between the caller and {@code peerId}, creating it if needed
     * (also when both sides do so at the same instant: its id is a function of the pair).
     *
     * @throws ChatAppException 400 if {@code peerId} is missing; 404 if there is no such user, or
     *     both are parents (a parent cannot tell another parent's id from an unknown one); 403 if
     *     both are therapists (API.md: only a parent and a therapist converse)
     */
    public Opened open(String userId, String peerId) {
        if (peerId == null || peerId.isBlank()) {
            throw ChatAppException.invalid("peerId", "is required");
        }
        User me = users.findById(userId).orElseThrow(() -> ChatAppException.notFound("your account does not exist"));
        User peer = MessageRules.isOpaqueId(peerId) ? users.findById(peerId).orElse(null) : null;
        // A parent never learns that another parent exists (as the directory and profiles hide them).
        if (peer == null || me.userType() == UserType.PARENT && peer.userType() == UserType.PARENT) {
            throw ChatAppException.notFound("no such user (peerId)");
        }
        if (me.userType() == peer.userType()) {
            throw ChatAppException.forbidden("only a parent and a therapist can converse; both are "
                    + me.userType().wire() + "s");
        }
        String conversationId = conversationId(userId, peerId);
        boolean created = store.createConversation(conversationId, userId, peerId, now());
        InboxEntry entry = store.inboxEntry(userId, conversationId)
                .orElseThrow(() -> new IllegalStateException("conversation " + conversationId + " has no row for its creator"));
        return new Opened(view(entry, peer), created);
    }

    /**
     * The caller's conversations, most recently active first.
     *
     * @param limit 1..100, null for 50
     * @param cursor null for the first page
     * @throws ChatAppException 400 for a bad limit or cursor
     */
    public Page<ConversationView> inbox(String userId, Integer limit, String cursor) {
        int size = Page.limit(limit);
        String scope = "inbox:" + userId;
        Page<InboxEntry> page = store.inbox(userId, size, cursors.decode(scope, cursor));
        List<ConversationView> views = new ArrayList<>(page.items().size());
        for (InboxEntry entry : page.items()) {
            views.add(view(entry, peerOf(entry)));
        }
        return new Page<>(views, cursors.encode(scope, page.nextCursor()));
    }

    /**
     * One conversation of the caller.
     *
     * @throws ChatAppException 404 if it does not exist or the caller is not a participant
     */
    public ConversationView conversation(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        return view(entry, peerOf(entry));
    }

    /**
     * Stores a message from the caller to the peer, once per {@code clientMessageId} of this
     * sender in this conversation: a repeat (also a concurrent one) returns the caller's original
     * with {@code created=false} and stores nothing. The peer may use the same id for its own
     * message (clients choose ids independently).
     * Publishes {@link ChatEvent.MessageStored} after the write is durable (new messages only).
     *
     * A photo or video must be the sender's own upload of that kind; its recipient may open it
     * from before the message is stored (a replay repeats that harmlessly), so no stored message
     * carries media its recipient cannot open (docs/decisions/0008-media-viewers-before-the-message.md).
     *
     * @param originConnectionId the WebSocket connection that sent it, which its event leaves
     *     out (that connection gets an {@code ack}); null from REST
     * @throws ChatAppException 429 {@code rate_limited} over the sender's {@link MessageLimit}
     *     (checked first; a replay is given its token back); 400 for invalid input, also for a
     *     mediaId that is not an upload of the sender's; 404 if the conversation does not exist or the caller is
     *     not a participant
     */
    public Sent send(String userId, String conversationId, String clientMessageId, Content content,
            String originConnectionId) {
        limit.take(userId);
        MessageRules.check(userId, clientMessageId, content);
        String peerId = peerIn(userId, conversationId);
        Sent sent = store.send(new NewMessage(conversationId, userId, peerId, clientMessageId, now(),
                content, attach(userId, content, peerId)));
        if (sent.created()) {
            events.accept(new ChatEvent.MessageStored(sent.message(), originConnectionId));
        } else {
            limit.giveBack(userId);
        }
        return sent;
    }

    /** {@link #send(String, String, String, Content, String)} from no connection (REST, tools). */
    public Sent send(String userId, String conversationId, String clientMessageId, Content content) {
        return send(userId, conversationId, clientMessageId, content, null);
    }

    /** The media object of a photo or video message (API.md "Message"); null for text. */
    private MediaRef attach(String senderId, Content content, String recipientId) {
        if (Content.TEXT.equals(content.contentType())) {
            return null;
        }
        if (media == null) {
            throw ChatAppException.invalid("content.contentType", "photos and videos cannot be sent here");
        }
        Media m = media.attach(senderId, content.value(), content.contentType(), recipientId);
        return new MediaRef(m.mediaId(), m.format().contentType(), m.size(), m.width(), m.height(), m.durationMs());
    }

    /**
     * A page of the conversation's messages: newest first, older pages by {@code cursor}; or,
     * with {@code after} (a messageId), every newer message oldest first, for catch-up (follow
     * {@code nextCursor} until it is null). Each page is one key-range read.
     *
     * @throws ChatAppException 400 for a bad limit, cursor (also one of another conversation or
     *     user) or malformed {@code after}; 404 if the caller is not a participant or {@code after}
     *     names no message of this conversation
     */
    public Page<Message> history(String userId, String conversationId, Integer limit, String cursor, String after) {
        int size = Page.limit(limit);
        peerIn(userId, conversationId);
        String scope = "messages:" + conversationId + ":" + userId;
        String position = cursors.decode(scope, cursor);
        boolean forward;
        String from;
        if (position != null) {
            forward = position.startsWith("a:");
            from = position.substring(2);
        } else if (after != null) {
            if (!ChatStore.isMessageId(after)) {
                throw ChatAppException.invalid("after", "must be a messageId");
            }
            if (store.message(conversationId, after).isEmpty()) {
                // else a foreign or unknown id gives an empty page: a client would think it is up to date
                throw ChatAppException.notFound("after names no message of this conversation");
            }
            forward = true;
            from = after;
        } else {
            forward = false;
            from = null;
        }
        List<Message> found = forward
                ? store.after(conversationId, from, size + 1)
                : store.before(conversationId, from, size + 1);
        if (found.size() <= size) {
            return new Page<>(found, null);
        }
        List<Message> items = found.subList(0, size);
        String next = (forward ? "a:" : "b:") + items.getLast().messageId();
        return new Page<>(items, cursors.encode(scope, next));
    }

    /**
     * Marks the peer's messages to the caller up to {@code upToMessageId} as read: sets
     * {@code readAt} once on each unread one and lowers the caller's unread count by as many.
     * Repeats change nothing. Publishes {@link ChatEvent.MessagesRead} after the write is durable
     * when something changed.
     *
     * @param originConnectionId the WebSocket connection that sent the {@code read}, which its
     *     event leaves out; null from REST
     * @throws ChatAppException 400 if {@code upToMessageId} is missing or malformed; 404 if the
     *     caller is not a participant or the message is not in this conversation
     */
    public ReadReceipt markRead(String userId, String conversationId, String upToMessageId,
            String originConnectionId) {
        if (upToMessageId == null || upToMessageId.isEmpty()) {
            throw ChatAppException.invalid("upToMessageId", "is required");
        }
        if (!ChatStore.isMessageId(upToMessageId)) {
            throw ChatAppException.invalid("upToMessageId", "must be a messageId");
        }
        InboxEntry entry = participant(userId, conversationId);
        if (store.message(conversationId, upToMessageId).isEmpty()) {
            throw ChatAppException.notFound("upToMessageId names no message of this conversation");
        }
        Instant readAt = now();
        int updated = store.markRead(conversationId, userId, upToMessageId, readAt);
        if (updated > 0) {
            events.accept(new ChatEvent.MessagesRead(conversationId, userId, entry.peerId(), upToMessageId, readAt,
                    originConnectionId));
        }
        return new ReadReceipt(conversationId, upToMessageId, readAt, updated);
    }

    /** {@link #markRead(String, String, String, String)} from no connection (REST). */
    public ReadReceipt markRead(String userId, String conversationId, String upToMessageId) {
        return markRead(userId, conversationId, upToMessageId, null);
    }

    /** Ids of the users who share a conversation with {@code userId} (for presence), by key. */
    public List<String> peers(String userId) {
        return store.peers(userId);
    }

    /**
     * The id of the one conversation of a pair, whoever opens it: 128 bits of SHA-256 over the
     * two user ids in sorted order, as 22 URL-safe characters. Concurrent opens from both sides
     * therefore race for the same key, and the store's conditional create lets one win.
     */
    static String conversationId(String a, String b) {
        String low = a.compareTo(b) <= 0 ? a : b;
        String high = low.equals(a) ? b : a;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("conversation\0" + low + "\0" + high).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * The other participant of the caller's conversation.
     *
     * @throws ChatAppException 404 if it does not exist or the caller is not a participant
     */
    public String peerIn(String userId, String conversationId) {
        String key = userId + ' ' + conversationId;
        String peer = peers.getIfPresent(key);
        if (peer == null) {
            peer = participant(userId, conversationId).peerId();
            peers.put(key, peer);
        }
        return peer;
    }

    private InboxEntry participant(String userId, String conversationId) {
        if (!MessageRules.isOpaqueId(conversationId)) {
            throw notFound();
        }
        return store.inboxEntry(userId, conversationId).orElseThrow(ChatService::notFound);
    }

    private static ChatAppException notFound() {
        // The same answer whether the conversation is missing or someone else's: existence must not leak.
        return ChatAppException.notFound("no such conversation");
    }

    private User peerOf(InboxEntry entry) {
        return users.findById(entry.peerId()).orElseThrow(() -> new IllegalStateException(
                "conversation " + entry.conversationId() + " names a peer without an account"));
    }

    private static ConversationView view(InboxEntry entry, User peer) {
        return new ConversationView(entry.conversationId(), peer, entry.lastMessage(), entry.unreadCount(),
                entry.updatedAt());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS); // API.md: times with milliseconds
    }
}
