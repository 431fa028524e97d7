package chatapp.chat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.Page;
import chatapp.core.RateLimiter;
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
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Conversations and messages (API.md "Conversation", "Message" and their endpoints; issue 13):
 * who may talk to whom, what a message may hold, who may read what. Every call checks that the
 * caller is a participant; a stranger gets 404 {@code not_found}, never content. Events go to
 * {@code events} only after the store has durably written.
 *
 * <p>Contact by consent (docs/security.md, "Consent"; issue 19): a new conversation is a request;
 * its requester may send one text introduction and nothing more until the recipient accepts
 * (explicitly, by replying, or by opening the conversation from their side). Refusals because of
 * a conversation's state are 409 {@code conflict}; refusals because of who the caller is (the
 * requester accepting their own request, unblocking someone else's block) are 403
 * {@code forbidden}.
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
    private final RateLimiter limiter;
    private final RateLimiter.Limit requestLimit;
    /** Makes the media of a message deleted for everyone unreachable; null: such a deletion is refused. */
    private final chatapp.media.Erasure erasure;
    /**
     * "userId conversationId" to the peer, for conversations the user is known to take part in.
     * A conversation's participants never change (its id is a function of the pair), so an entry
     * never goes stale; it saves the participant check's read on every page of history. Sends
     * and typing read the row anyway: its consent may change at any time, on any node. Only
     * positive answers are kept: a stranger is always checked against the store.
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
        this(store, users, cursors, clock, events, media, limit, null, null);
    }

    /**
     * @param media which uploads a photo or video message may carry (null: such messages are refused)
     * @param limit messages per minute per sender account
     * @param limiter with {@code requestLimit}: how many conversations one account may request
     *     (open anew) per period; both null for no limit (tools and tests)
     */
    public ChatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, Consumer<ChatEvent> events,
            Attachments media, MessageLimit limit, RateLimiter limiter, RateLimiter.Limit requestLimit) {
        this(store, users, cursors, clock, events, media, limit, limiter, requestLimit, null);
    }

    /**
     * As above, and
     * @param erasure makes the photo or video of a message deleted for everyone unreachable (null:
     *     deleting a photo or video message fails; tools and tests that send text only)
     */
    public ChatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, Consumer<ChatEvent> events,
            Attachments media, MessageLimit limit, RateLimiter limiter, RateLimiter.Limit requestLimit,
            chatapp.media.Erasure erasure) {
        this.erasure = erasure;
        if ((limiter == null) != (requestLimit == null)) {
            throw new IllegalArgumentException("a limiter needs its limit");
        }
        this.limit = Objects.requireNonNull(limit);
        this.limiter = limiter;
        this.requestLimit = requestLimit;
        this.store = Objects.requireNonNull(store);
        this.users = Objects.requireNonNull(users);
        this.cursors = Objects.requireNonNull(cursors);
        this.clock = Objects.requireNonNull(clock);
        this.events = Objects.requireNonNull(events);
        this.media = media;
    }

    /**
     * Opens the one conversation between the caller and {@code peerId}: a new one is a request
     * by the caller (state {@code requested}); an existing one is returned as it is, except that
     * a pending or declined request from the peer is accepted (asking back is consent). Concurrent
     * opens from both sides create it once (its id is a function of the pair).
     *
     * @throws ChatAppException 400 if {@code peerId} is missing; 404 if there is no such user, or
     *     both are parents (a parent cannot tell another parent's id from an unknown one); 403 if
     *     both are therapists (API.md: only a parent and a therapist converse); 429
     *     {@code rate_limited} when the caller has requested too many new conversations (the
     *     request limit)
     */
    public Opened open(String userId, String peerId) {
        if (peerId == null || peerId.isBlank()) {
            throw ChatAppException.invalid("peerId", "is required");
        }
        User me = users.findById(userId).orElseThrow(() -> ChatAppException.notFound("your account does not exist"));
        User peer = MessageRules.isOpaqueId(peerId) ? users.findById(peerId).orElse(null) : null;
        // A parent never learns that another parent exists (as the directory and profiles hide them).
        if (peer == null || me.userType() == UserType.PARENT && peer.userType() == UserType.PARENT
                && !peerId.equals(userId)) {
            throw ChatAppException.notFound("no such user (peerId)");
        }
        if (me.userType() == peer.userType()) {
            throw ChatAppException.forbidden("only a parent and a therapist can converse; both are "
                    + me.userType().wire() + "s");
        }
        String conversationId = conversationId(userId, peerId);
        boolean created = false;
        Optional<InboxEntry> existing = store.inboxEntry(userId, conversationId);
        if (existing.isEmpty()) {
            if (limiter != null) {
                limiter.take(userId, requestLimit); // only new requests count: reopening is free
            }
            created = store.createConversation(conversationId, userId, peerId, now(), Consent.requested(userId));
        }
        InboxEntry entry = store.inboxEntry(userId, conversationId)
                .orElseThrow(() -> new IllegalStateException("conversation " + conversationId + " has no row for its creator"));
        if (created) {
            changed(entry, me, peer);
        } else if (entry.consent().awaits(userId)) {
            entry = acceptBy(entry, me, peer);
        }
        return new Opened(view(entry, peer), created);
    }

    /**
     * The recipient accepts a request (also one they declined before): from now on both may
     * talk and see each other's presence, typing and read receipts. Accepting an accepted
     * conversation changes nothing.
     *
     * @throws ChatAppException 404 if the caller is not a participant; 403 if the caller is the
     *     requester; 409 if the conversation is blocked
     */
    public ConversationView accept(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        User peer = peerOf(entry);
        Consent c = entry.consent();
        if (c.state() == ConversationState.BLOCKED) {
            throw blocked(c, userId, peer);
        }
        if (c.state() != ConversationState.ACCEPTED) {
            if (!c.awaits(userId)) {
                throw ChatAppException.forbidden("only " + peer.username() + " can accept your request");
            }
            entry = acceptBy(entry, me(userId), peer);
        }
        return view(entry, peer);
    }

    /**
     * The recipient declines a pending request: the requester may send nothing more (and sees
     * the conversation as {@code declined}); the recipient may still accept later. Declining a
     * declined request changes nothing.
     *
     * @throws ChatAppException 404 if the caller is not a participant; 403 if the caller is the
     *     requester; 409 if the conversation is accepted (block instead) or blocked
     */
    public ConversationView decline(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        User peer = peerOf(entry);
        Consent c = entry.consent();
        switch (c.state()) {
            case ACCEPTED -> throw conflict("the conversation is already accepted; block " + peer.username()
                    + " to stop it");
            case BLOCKED -> throw blocked(c, userId, peer);
            default -> {
                if (!c.awaits(userId)) {
                    throw ChatAppException.forbidden("only " + peer.username() + " can decline your request");
                }
                if (c.state() == ConversationState.REQUESTED) {
                    entry = change(entry, me(userId), peer,
                            new Consent(ConversationState.DECLINED, c.requestedBy(), null));
                }
            }
        }
        return view(entry, peer);
    }

    /**
     * Blocks the conversation, whatever its state: no messages, presence, typing or read
     * receipts flow either way, and neither user finds the other in the directory. Blocking what
     * the caller blocked already changes nothing.
     *
     * @throws ChatAppException 404 if the caller is not a participant; 409 if the peer blocked it
     */
    public ConversationView block(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        User peer = peerOf(entry);
        Consent c = entry.consent();
        if (c.state() == ConversationState.BLOCKED) {
            if (!userId.equals(c.blockedBy())) {
                throw blocked(c, userId, peer);
            }
            return view(entry, peer);
        }
        entry = change(entry, me(userId), peer, new Consent(ConversationState.BLOCKED, c.requestedBy(), userId));
        return view(entry, peer);
    }

    /**
     * Lifts the caller's block: the conversation returns to where it was, as far as it can be
     * known: {@code accepted} if it was ever accepted; else the request stands again
     * ({@code requested}) if the requester blocked, or stays refused ({@code declined}) if the
     * recipient did. Unblocking a conversation that is not blocked changes nothing.
     *
     * @throws ChatAppException 404 if the caller is not a participant; 403 if the peer blocked it
     */
    public ConversationView unblock(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        User peer = peerOf(entry);
        Consent c = entry.consent();
        if (c.state() != ConversationState.BLOCKED) {
            return view(entry, peer);
        }
        if (!userId.equals(c.blockedBy())) {
            throw ChatAppException.forbidden("only " + peer.username() + " can lift their block");
        }
        Consent next = c.requestedBy() == null ? Consent.ACCEPTED
                : c.requestedBy().equals(userId) ? Consent.requested(userId)
                : new Consent(ConversationState.DECLINED, c.requestedBy(), null);
        entry = change(entry, me(userId), peer, next);
        return view(entry, peer);
    }

    /**
     * Requests to the caller (pending or declined), most recently active first: kept apart from
     * the inbox (API.md, {@code GET /conversations/requests}).
     *
     * @param limit 1..100, null for 50
     * @param cursor null for the first page
     * @throws ChatAppException 400 for a bad limit or cursor
     */
    public Page<ConversationView> requests(String userId, Integer limit, String cursor) {
        return folder(userId, ChatStore.Folder.REQUESTS, "requests:", limit, cursor);
    }

    /**
     * Ids of the users that {@code userId} blocked or was blocked by: the directory hides them
     * from each other (docs/security.md, "Consent"). Read by key, one row per conversation of
     * the user.
     */
    public Set<String> blocked(String userId) {
        Set<String> hidden = new HashSet<>();
        for (ChatStore.Contact c : store.contacts(userId)) {
            if (c.consent().state() == ConversationState.BLOCKED) {
                hidden.add(c.peerId());
            }
        }
        return hidden;
    }

    /**
     * Whether {@code userId} and {@code otherId} share a blocked conversation (either blocked the
     * other): the directory then hides each from the other. One read by key.
     */
    public boolean blockedBetween(String userId, String otherId) {
        if (!MessageRules.isOpaqueId(otherId) || userId.equals(otherId)) {
            return false;
        }
        return store.inboxEntry(userId, conversationId(userId, otherId))
                .map(e -> e.consent().state() == ConversationState.BLOCKED).orElse(false);
    }

    /**
     * The peer of the caller's conversation if the two may exchange typing and read signals:
     * only in an accepted conversation.
     *
     * @throws ChatAppException 404 if it does not exist or the caller is not a participant; 409
     *     {@code conflict} if it is not accepted (a request, declined or blocked)
     */
    public String acceptedPeerIn(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        Consent c = entry.consent();
        if (c.state() == ConversationState.ACCEPTED) {
            return entry.peerId();
        }
        User peer = peerOf(entry);
        throw c.state() == ConversationState.BLOCKED ? blocked(c, userId, peer) : waiting(c, userId, peer);
    }

    /**
     * The caller's conversations, most recently active first: accepted ones, the caller's own
     * requests (pending or declined, marked by their state) and blocked ones; not requests to
     * the caller ({@link #requests}).
     *
     * @param limit 1..100, null for 50
     * @param cursor null for the first page
     * @throws ChatAppException 400 for a bad limit or cursor
     */
    public Page<ConversationView> inbox(String userId, Integer limit, String cursor) {
        return folder(userId, ChatStore.Folder.INBOX, "inbox:", limit, cursor);
    }

    private Page<ConversationView> folder(String userId, ChatStore.Folder folder, String prefix, Integer limit,
            String cursor) {
        int size = Page.limit(limit);
        String scope = prefix + userId;
        Page<InboxEntry> page = store.inbox(userId, folder, size, cursors.decode(scope, cursor));
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
     * Consent: the requester of a pending request may send one text introduction; the
     * recipient's message accepts the request (published as {@link ChatEvent.ConversationChanged}).
     *
     * @throws ChatAppException 429 {@code rate_limited} over the sender's {@link MessageLimit}
     *     (checked first; a replay is given its token back); 400 for invalid input, also for a
     *     mediaId that is not an upload of the sender's; 404 if the conversation does not exist or
     *     the caller is not a participant; 409 {@code conflict} if the conversation's state allows
     *     no such message (waiting for acceptance after the introduction, a photo or video before
     *     acceptance, declined, blocked), or if another message already carries the upload
     *     ({@link Attachments.AlreadySent}; a replay of the send that carries it gets its original)
     */
    public Sent send(String userId, String conversationId, String clientMessageId, Content content,
            String originConnectionId) {
        return send(userId, conversationId, clientMessageId, content, null, originConnectionId);
    }

    /**
     * {@link #send(String, String, String, Content, String)} of a reply to {@code replyTo} (null: a
     * message that replies to none): the stored message carries its {@link Quote}.
     *
     * @throws ChatAppException as the plain send, and 400 if {@code replyTo} is not a messageId or
     *     names a deleted message; 404 if it names no message of this conversation
     */
    public Sent send(String userId, String conversationId, String clientMessageId, Content content, String replyTo,
            String originConnectionId) {
        Outgoing o = prepare(userId, conversationId, clientMessageId, content, replyTo, originConnectionId);
        if (o.replay != null) {
            return o.replay;
        }
        Sent sent;
        try {
            sent = store.send(o.message);
        } catch (RuntimeException e) {
            throw o.failed(e);
        }
        return o.stored(sent);
    }

    /**
     * {@link #send(String, String, String, Content, String, String)} without waiting for the
     * write (a WebSocket connection's pipelined sends, docs/protocol.md): the checks and the
     * charge to the {@link MessageLimit} happen on the calling thread, in call order; the write
     * is queued behind the caller's earlier ones ({@link ChatStore#sendAsync}). The returned
     * stage completes as the synchronous send returns or throws (its refusals and errors
     * included), after the write is durable and, for a new message, after
     * {@link ChatEvent.MessageStored} is published.
     *
     * @param afterCommit runs what follows the durable write (publishing the event, completing
     *     the returned stage); it is called on the thread that completes the write, in commit
     *     order, and must run the work at once on that thread (it may set a logging context
     *     around it); {@code Runnable::run} for none
     */
    public CompletableFuture<Sent> sendAsync(String userId, String conversationId, String clientMessageId,
            Content content, String replyTo, String originConnectionId, Executor afterCommit) {
        Objects.requireNonNull(afterCommit);
        Outgoing o;
        try {
            o = prepare(userId, conversationId, clientMessageId, content, replyTo, originConnectionId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (o.replay != null) {
            return CompletableFuture.completedFuture(o.replay);
        }
        CompletableFuture<Sent> answered = new CompletableFuture<>();
        CompletableFuture<Sent> written = new CompletableFuture<>();
        // Attached before the write is queued: the event goes out as the write completes, in commit order.
        written.whenComplete((sent, error) -> {
            try {
                afterCommit.execute(() -> {
                    try {
                        if (error == null) {
                            answered.complete(o.stored(sent));
                        } else {
                            answered.completeExceptionally(o.failed(runtime(error)));
                        }
                    } catch (RuntimeException e) {
                        answered.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                answered.completeExceptionally(e);
            }
        });
        store.sendAsync(o.message, written);
        return answered;
    }

    private static RuntimeException runtime(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }

    /** Everything a send checks before its write; the message to write, or the answer to a replay. */
    private Outgoing prepare(String userId, String conversationId, String clientMessageId, Content content,
            String replyTo, String originConnectionId) {
        limit.take(userId);
        MessageRules.check(userId, clientMessageId, content);
        if (replyTo != null && !ChatStore.isMessageId(replyTo)) {
            limit.giveBack(userId);
            throw ChatAppException.invalid("replyTo", "must be a messageId of this conversation");
        }
        Target entry = mayWrite(userId, conversationId, clientMessageId, content);
        String peerId = entry.peerId();
        Quote quote = replyTo == null ? null : quoteOf(conversationId, replyTo);
        MediaRef attached;
        try {
            attached = attach(userId, content, peerId);
        } catch (ChatAppException e) {
            // A refused upload may be this very send's: a replay whose upload is sent already (by
            // its original) or erased since (its message deleted for everyone). Answer the original.
            limit.giveBack(userId);
            Optional<Message> original = store.sentAs(conversationId, userId, clientMessageId);
            if (original.isPresent()) {
                return new Outgoing(userId, entry, null, null, originConnectionId, new Sent(original.get(), false));
            }
            throw e;
        }
        NewMessage message = new NewMessage(conversationId, userId, peerId, clientMessageId, now(),
                content, attached, entry.consent().introducing(userId), quote);
        return new Outgoing(userId, entry, attached, message, originConnectionId, null);
    }

    /** A send past its checks: what its write's outcome means. */
    private final class Outgoing {
        final String userId;
        final Target entry;
        final MediaRef attached;
        final NewMessage message;
        final String originConnectionId;
        /** The answer without a write (a replay found before it); null when {@link #message} is to be written. */
        final Sent replay;

        Outgoing(String userId, Target entry, MediaRef attached, NewMessage message, String originConnectionId,
                Sent replay) {
            this.userId = userId;
            this.entry = entry;
            this.attached = attached;
            this.message = message;
            this.originConnectionId = originConnectionId;
            this.replay = replay;
        }

        /** The write succeeded: publishes a new message's event; a replay gives its token (and any upload) back. */
        Sent stored(Sent sent) {
            if (sent.created()) {
                events.accept(new ChatEvent.MessageStored(sent.message(), originConnectionId));
            } else {
                limit.giveBack(userId);
                MediaRef kept = sent.message().media();
                if (attached != null && (kept == null || !kept.mediaId().equals(attached.mediaId()))) {
                    // a reused clientMessageId answers its original: this upload went in no message
                    media.release(attached.mediaId(), entry.peerId());
                }
            }
            return sent;
        }

        /** The write failed with {@code e}: what the caller is told. */
        RuntimeException failed(RuntimeException e) {
            String conversationId = entry.conversationId();
            if (e instanceof ChatStore.NotFirst) {
                // another introduction of the requester's landed first (sent at the same time)
                limit.giveBack(userId);
                return waiting(entry.consent(), userId, peerOf(userId, entry.peerId()));
            }
            detachIfUnsent(attached, conversationId, userId, message.clientMessageId(), entry.peerId());
            if (e instanceof ChatStore.Closed) {
                // blocked, or closed by an account's deletion, after mayWrite: nothing was stored
                Consent now = store.inboxEntry(userId, conversationId).map(InboxEntry::consent).orElse(entry.consent());
                return now.state() == ConversationState.BLOCKED ? blocked(now, userId, peerOf(userId, entry.peerId()))
                        : conflict("the conversation was closed; try again");
            }
            return e;
        }
    }

    /**
     * The message write failed after its upload was attached: give the upload back so a retry of
     * the send can attach it (docs/decisions/0052-one-message-per-upload.md), unless the message
     * was stored after all (its answer lost), which a consistent read of its guard tells.
     */
    private void detachIfUnsent(MediaRef attached, String conversationId, String userId, String clientMessageId,
            String peerId) {
        if (attached == null) {
            return;
        }
        try {
            if (store.sentAs(conversationId, userId, clientMessageId).isEmpty()) {
                media.release(attached.mediaId(), peerId);
            }
        } catch (RuntimeException unknown) {
            // cannot tell whether it was stored: keep it attached (a retry may then be 409)
        }
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
        return new MediaRef(m.mediaId(), m.format().contentType(), m.size(), m.width(), m.height(), m.durationMs(),
                m.format().isImage() ? null : m.thumbnailKey() != null);
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
     * when something changed. Only in an accepted conversation: a read receipt is contact, so
     * before acceptance (a recipient may look at an introduction without the requester learning
     * of it) and while blocked there is none, stored or sent (docs/security.md, "Consent").
     *
     * @param originConnectionId the WebSocket connection that sent the {@code read}, which its
     *     event leaves out; null from REST
     * @throws ChatAppException 400 if {@code upToMessageId} is missing or malformed; 404 if the
     *     caller is not a participant or the message is not in this conversation; 409
     *     {@code conflict} if the conversation is not accepted (requested, declined, blocked)
     */
    public ReadReceipt markRead(String userId, String conversationId, String upToMessageId,
            String originConnectionId) {
        InboxEntry entry = receiptEntry(userId, conversationId, upToMessageId);
        Instant readAt = now();
        int updated = store.markRead(conversationId, userId, upToMessageId, readAt);
        if (updated > 0 && entry.consent().state() == ConversationState.ACCEPTED) {
            events.accept(new ChatEvent.MessagesRead(conversationId, userId, entry.peerId(), upToMessageId, readAt,
                    originConnectionId));
        }
        return new ReadReceipt(conversationId, upToMessageId, readAt, updated);
    }

    /**
     * The caller's inbox row for a read or delivery receipt up to {@code upToMessageId}, after the
     * checks both share: a well-formed id of a message of this conversation, a participant, and
     * consent (409 unless accepted; a blocked conversation whose peer deleted their account is let
     * through, since nobody learns of the receipt and the unread count must clear).
     */
    private InboxEntry receiptEntry(String userId, String conversationId, String upToMessageId) {
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
        if (entry.consent().state() != ConversationState.BLOCKED || !deleted(peerOf(entry))) {
            acceptedPeerIn(userId, conversationId); // 409 unless accepted: no receipt before consent
        }
        return entry;
    }

    /** {@link #markRead(String, String, String, String)} from no connection (REST). */
    public ReadReceipt markRead(String userId, String conversationId, String upToMessageId) {
        return markRead(userId, conversationId, upToMessageId, null);
    }

    /** The quote of the message a reply names (ChatStore#send keeps its id and sender). */
    private Quote quoteOf(String conversationId, String replyTo) {
        Message quoted = store.message(conversationId, replyTo).orElseThrow(
                () -> ChatAppException.notFound("replyTo names no message of this conversation"));
        if (quoted.isDeleted()) {
            throw ChatAppException.invalid("replyTo", "names a deleted message");
        }
        return Quote.of(quoted);
    }

    /**
     * Marks the peer's messages to the caller up to {@code upToMessageId} as delivered: a device
     * of the caller received them (API.md, {@code delivered}). Sets {@code deliveredAt} once on
     * each message that has none (read ones are delivered already); repeats change nothing.
     * Publishes {@link ChatEvent.MessagesDelivered} after the write is durable when something
     * changed. Consent as for {@link #markRead}: a delivery receipt is contact, so there is none
     * before acceptance or while blocked (docs/security.md, "Consent").
     *
     * @param originConnectionId the WebSocket connection that sent the {@code delivered}; null from REST
     * @throws ChatAppException 400 if {@code upToMessageId} is missing or malformed; 404 if the
     *     caller is not a participant or the message is not in this conversation; 409
     *     {@code conflict} if the conversation is not accepted (requested, declined, blocked)
     */
    public DeliveryReceipt markDelivered(String userId, String conversationId, String upToMessageId,
            String originConnectionId) {
        InboxEntry entry = receiptEntry(userId, conversationId, upToMessageId);
        Instant deliveredAt = now();
        int updated = store.markDelivered(conversationId, userId, upToMessageId, deliveredAt);
        if (updated > 0 && entry.consent().state() == ConversationState.ACCEPTED) {
            events.accept(new ChatEvent.MessagesDelivered(conversationId, userId, entry.peerId(), upToMessageId,
                    deliveredAt, originConnectionId));
        }
        return new DeliveryReceipt(conversationId, upToMessageId, deliveredAt, updated);
    }

    /** How long after sending a sender may edit a text message (API.md, "Edit a message"). */
    public static final java.time.Duration EDIT_WINDOW = java.time.Duration.ofMinutes(15);

    /**
     * The sender replaces the text of their text message within {@link #EDIT_WINDOW} of its
     * {@code createdAt} (by this service's clock); the new text follows the rules of a send.
     * Publishes {@link ChatEvent.MessageEdited}. The previous text is kept nowhere
     * (docs/audit.md: the audit entry names the message, never its text). Counts against the
     * sender's {@link MessageLimit}.
     *
     * @return the message as edited
     * @throws ChatAppException 429 over the message limit; 400 for invalid text (or another
     *     content type); 404 if the caller is not a participant or {@code messageId} names no
     *     message of this conversation (also a malformed one); 403 {@code forbidden} if it is the peer's; 409
     *     {@code conflict} if it is a photo, a video or deleted, the edit window has passed, or the
     *     conversation allows the caller no message (declined, blocked)
     */
    public Message edit(String userId, String conversationId, String messageId, Content content) {
        limit.take(userId);
        MessageRules.checkEdit(content);
        Message m = ownMessage(userId, conversationId, messageId, "edit");
        if (m.isDeleted()) {
            throw conflict("the message was deleted; it cannot be edited");
        }
        if (!Content.TEXT.equals(m.content().contentType())) {
            throw conflict("only a text message can be edited; this one is a "
                    + (Content.IMAGE.equals(m.content().contentType()) ? "photo" : m.content().contentType()));
        }
        Instant now = now();
        if (now.isAfter(m.createdAt().plus(EDIT_WINDOW))) {
            throw conflict("a message can be edited for " + EDIT_WINDOW.toMinutes()
                    + " minutes after it is sent; this one was sent at " + m.createdAt());
        }
        InboxEntry entry = participant(userId, conversationId);
        Consent c = entry.consent();
        if (c.state() == ConversationState.BLOCKED) {
            throw blocked(c, userId, peerOf(entry));
        }
        if (c.state() == ConversationState.DECLINED && !c.awaits(userId)) {
            throw waiting(c, userId, peerOf(entry));
        }
        Message edited = store.edit(conversationId, messageId, userId, content.value(), now)
                .orElseThrow(() -> conflict("the message was deleted meanwhile; it cannot be edited"));
        events.accept(new ChatEvent.MessageEdited(edited));
        return edited;
    }

    /**
     * The sender deletes their message for everyone: it becomes a tombstone (no text, no media,
     * {@code deletedAt} set) in both participants' history and inbox, and its photo or video
     * becomes unreachable (record and bytes erased). Allowed at any time and in any state of the
     * conversation (one's own words can always be withdrawn); deleting a tombstone changes
     * nothing. Publishes {@link ChatEvent.MessageDeleted} unless the conversation is blocked.
     *
     * @return the tombstone
     * @throws ChatAppException 404 if the caller is not a participant or {@code messageId} names
     *     no message of this conversation (also a malformed one); 403 {@code forbidden} if it is
     *     the peer's
     */
    public Message delete(String userId, String conversationId, String messageId) {
        Message m = ownMessage(userId, conversationId, messageId, "delete");
        if (m.isDeleted()) {
            return m;
        }
        if (m.media() != null && erasure == null) {
            throw new IllegalStateException("this service cannot erase media");
        }
        Optional<Message> before = store.deleteForEveryone(conversationId, messageId, userId, now());
        if (before.isPresent() && before.get().media() != null) {
            erasure.erase(before.get().media().mediaId());
        }
        Message tombstone = store.message(conversationId, messageId).orElseThrow(
                () -> ChatAppException.notFound("messageId names no message of this conversation"));
        if (before.isPresent()) {
            InboxEntry entry = participant(userId, conversationId);
            if (entry.consent().state() != ConversationState.BLOCKED) {
                events.accept(new ChatEvent.MessageDeleted(tombstone));
            }
        }
        return tombstone;
    }

    /** The caller's own message of the conversation; {@code verb} names the action for the 403. */
    private Message ownMessage(String userId, String conversationId, String messageId, String verb) {
        peerIn(userId, conversationId);
        if (!ChatStore.isMessageId(messageId)) {
            // a path segment, like conversationId: a malformed id names nothing
            throw ChatAppException.notFound("messageId names no message of this conversation");
        }
        Message m = store.message(conversationId, messageId).orElseThrow(
                () -> ChatAppException.notFound("messageId names no message of this conversation"));
        if (!m.senderId().equals(userId)) {
            throw ChatAppException.forbidden("only its sender can " + verb + " a message");
        }
        return m;
    }

    /**
     * Ids of the users who share an accepted conversation with {@code userId}: who may see their
     * presence and whose presence they may see (docs/security.md, "Consent"). Read by key.
     */
    public List<String> peers(String userId) {
        List<String> peers = new ArrayList<>();
        for (ChatStore.Contact c : store.contacts(userId)) {
            if (c.consent().state() == ConversationState.ACCEPTED) {
                peers.add(c.peerId());
            }
        }
        return peers;
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

    /**
     * Whose openings and reads of this conversation {@code userId} may see (its activity,
     * docs/audit.md): both participants while the conversation is accepted, else only the caller,
     * so that a request or a block tells nobody when the other side looked (security.md, "Consent").
     *
     * @throws ChatAppException 404 unless {@code userId} is a participant
     */
    public Set<String> activityVisibleTo(String userId, String conversationId) {
        InboxEntry entry = participant(userId, conversationId);
        return entry.consent().state() == ConversationState.ACCEPTED
                ? Set.of(userId, entry.peerId()) : Set.of(userId);
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

    /**
     * The peer's account; for a peer who deleted theirs, a placeholder with their id, the name
     * {@link #DELETED_ACCOUNT}, the type opposite the caller's and no profile (docs/audit.md,
     * "Deletion": the peer keeps the conversation, which says the account was deleted).
     */
    private User peerOf(InboxEntry entry) {
        return peerOf(entry.userId(), entry.peerId());
    }

    private User peerOf(String userId, String peerId) {
        return users.findById(peerId).orElseGet(() -> {
            UserType mine = users.findById(userId).map(User::userType).orElse(UserType.PARENT);
            return new User(peerId, DELETED_ACCOUNT, null, null,
                    mine == UserType.PARENT ? UserType.THERAPIST : UserType.PARENT, null, null, null);
        });
    }

    /** The name a deleted peer is shown by. */
    public static final String DELETED_ACCOUNT = "Deleted account";

    private static boolean deleted(User peer) {
        return peer.createdAt() == null; // only the placeholder of peerOf lacks it
    }

    private static ConversationView view(InboxEntry entry, User peer) {
        return new ConversationView(entry.conversationId(), peer, entry.lastMessage(), entry.unreadCount(),
                entry.updatedAt(), entry.consent(), deleted(peer));
    }

    /** The conversation a send writes to, its peer and the consent the message is sent under. */
    private record Target(String conversationId, String peerId, Consent consent) {
        static Target of(InboxEntry entry) {
            return new Target(entry.conversationId(), entry.peerId(), entry.consent());
        }
    }

    /**
     * Whether the caller may send this message now (consent), accepting a request to the
     * caller on the way; the conversation with the consent the message is sent under. An
     * accepted conversation (most sends) is checked on its partner and consent alone
     * ({@link ChatStore#contact}, a narrower read than the whole row); any other state on the
     * whole row, as its rules need its last message (the introduction).
     */
    private Target mayWrite(String userId, String conversationId, String clientMessageId, Content content) {
        if (!MessageRules.isOpaqueId(conversationId)) {
            throw notFound();
        }
        ChatStore.Contact contact = store.contact(userId, conversationId).orElseThrow(ChatService::notFound);
        if (contact.consent().state() == ConversationState.ACCEPTED) {
            return new Target(conversationId, contact.peerId(), contact.consent());
        }
        InboxEntry entry = participant(userId, conversationId);
        Consent c = entry.consent();
        switch (c.state()) {
            case ACCEPTED -> {
                return Target.of(entry); // accepted since the first read
            }
            case BLOCKED -> throw blocked(c, userId, peerOf(entry));
            default -> {
                User peer = peerOf(entry);
                if (c.awaits(userId)) {
                    return Target.of(acceptBy(entry, me(userId), peer)); // replying is accepting
                }
                if (c.state() == ConversationState.DECLINED) {
                    throw conflict(peer.username() + " declined your request; you cannot send messages here");
                }
                if (!Content.TEXT.equals(content.contentType())) {
                    throw conflict("photos and videos can be sent once " + peer.username()
                            + " accepts; the introduction is text only");
                }
                Message intro = entry.lastMessage();
                boolean replay = intro != null && intro.senderId().equals(userId)
                        && intro.clientMessageId().equals(clientMessageId);
                if (intro != null && !replay) {
                    throw waiting(c, userId, peer);
                }
                return Target.of(entry);
            }
        }
    }

    private InboxEntry acceptBy(InboxEntry entry, User me, User peer) {
        return change(entry, me, peer, Consent.ACCEPTED);
    }

    /**
     * Moves the conversation from the consent read in {@code entry} to {@code next} and tells
     * both users. If another change came first, the caller's request is refused as a conflict
     * (the client reloads and decides again) unless that change already made it {@code next}.
     */
    private InboxEntry change(InboxEntry entry, User me, User peer, Consent next) {
        boolean changed = store.changeConsent(entry.conversationId(), me.userId(), peer.userId(), entry.consent(), next);
        InboxEntry now = store.inboxEntry(me.userId(), entry.conversationId()).orElseThrow(ChatService::notFound);
        if (!changed) {
            if (now.consent().equals(next)) {
                return now;
            }
            throw conflict("the conversation changed meanwhile; reload it and try again");
        }
        changed(now, me, peer);
        return now;
    }

    /** Publishes the conversation's new consent to both participants, each with their own view. */
    private void changed(InboxEntry mine, User me, User peer) {
        InboxEntry theirs = store.inboxEntry(peer.userId(), mine.conversationId()).orElseThrow(
                () -> new IllegalStateException("conversation " + mine.conversationId() + " has no row for the peer"));
        events.accept(new ChatEvent.ConversationChanged(view(mine, peer), me.userId(), view(theirs, me),
                peer.userId()));
    }

    private User me(String userId) {
        return users.findById(userId).orElseThrow(() -> ChatAppException.notFound("your account does not exist"));
    }

    private static ChatAppException conflict(String detail) {
        return new ChatAppException(ErrorCode.CONFLICT, detail);
    }

    /** docs/api.md: 409 while a request waits for its recipient. */
    private static ChatAppException waiting(Consent c, String userId, User peer) {
        if (c.state() == ConversationState.DECLINED && !c.awaits(userId)) {
            return conflict(peer.username() + " declined your request");
        }
        return c.awaits(userId)
                ? conflict("accept " + peer.username() + "'s request first")
                : conflict("waiting for " + peer.username() + " to accept");
    }

    private static ChatAppException blocked(Consent c, String userId, User peer) {
        if (deleted(peer)) {
            return conflict("the other participant deleted their account; the conversation is closed");
        }
        return userId.equals(c.blockedBy())
                ? conflict("you blocked " + peer.username() + "; unblock the conversation first")
                : conflict(peer.username() + " has blocked this conversation");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS); // API.md: times with milliseconds
    }
}
