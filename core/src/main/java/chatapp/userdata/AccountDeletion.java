package chatapp.userdata;

import chatapp.account.PasswordHashing;
import chatapp.account.Profile;
import chatapp.account.Sessions;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConversationState;
import chatapp.chat.ConversationView;
import chatapp.chat.InboxEntry;
import chatapp.chat.MediaRef;
import chatapp.core.ChatAppException;
import chatapp.core.Page;
import chatapp.core.RateLimiter;
import chatapp.media.Erasure;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.notification.NotificationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deleting one's account (issue 22; GDPR article 17; what it keeps and removes: docs/audit.md,
 * "Deletion"). With the password re-entered:
 * <ol>
 *   <li>every session of the account ends at once: refresh chains, access tokens, tickets,
 *       WebSockets ({@link Sessions});</li>
 *   <li>each of its conversations is closed (blocked by the deleted account, so neither side's
 *       send is stored any more, also one already past its checks: {@link ChatStore#send}) and
 *       every message the account sent becomes a tombstone without text or media
 *       ({@link ChatStore#eraseMessagesOf}); the peer's own messages stay as they were. A request
 *       the account made that was never accepted is removed from the recipient's side
 *       ({@link ChatStore#removeRequest});</li>
 *   <li>the media those messages carried lose their record and their bytes, and so does the
 *       account's avatar;</li>
 *   <li>last, the account itself goes (profile, directory, email and username freed).</li>
 * </ol>
 * The account row goes last so that a deletion cut off half way (a crash, a store outage) can be
 * run again by the same user with the same password: every step is idempotent. Two deletions at
 * once both run every step; the peer's data is never touched by any of them.
 *
 * <p>Uploads the account never sent are left to {@link chatapp.media.UnattachedUploads}, which
 * deletes them within its age limit.
 */
public final class AccountDeletion {

    /** Failed password confirmations per account, like failed logins: 5 per 15 minutes. */
    public static final RateLimiter.Limit FAILURES = RateLimiter.Limit.perPeriod("delete-account-failures", 5,
            Duration.ofMinutes(15), "too many wrong passwords");

    private static final int PAGE = 100;

    private final UserStore users;
    private final Sessions sessions;
    private final ChatStore chats;
    private final MediaStore media;
    private final MediaFiles files;
    private final PasswordHashing passwords;
    private final RateLimiter limiter;
    private final DataExport exports;
    private final NotificationStore notifications;
    private final Consumer<ChatEvent> events;

    /**
     * @param limiter counts wrong passwords against {@link #FAILURES}; null for no limit (tools, tests)
     * @param exports whose archives of the account are deleted with it (null: none)
     * @param notifications whose preferences and push subscriptions of the user are deleted
     *     (null: none)
     * @param events the real-time fan-out: tells each peer what became of their conversations,
     *     {@link ChatEvent.ConversationChanged} for a closed one (their view: blocked, peer
     *     deleted), {@link ChatEvent.ConversationRemoved} for a request that left their side
     *     (docs/api.md: every state change reaches every connection)
     */
    public AccountDeletion(UserStore users, Sessions sessions, ChatStore chats, MediaStore media, MediaFiles files,
            PasswordHashing passwords, RateLimiter limiter, DataExport exports,
            NotificationStore notifications, Consumer<ChatEvent> events) {
        this.events = Objects.requireNonNull(events);
        this.notifications = notifications;
        this.exports = exports;
        this.users = Objects.requireNonNull(users);
        this.sessions = Objects.requireNonNull(sessions);
        this.chats = Objects.requireNonNull(chats);
        this.media = Objects.requireNonNull(media);
        this.files = Objects.requireNonNull(files);
        this.passwords = Objects.requireNonNull(passwords);
        this.limiter = limiter;
    }

    /**
     * Deletes {@code userId}'s account after checking {@code password}.
     *
     * @return the deleted account as it was (for the audit entry's pseudonym)
     * @throws ChatAppException 400 if the password is missing; 403 {@code forbidden} if it is
     *     wrong (the bearer token is valid, so not 401, which tells clients to refresh);
     *     429 {@code rate_limited} after {@link #FAILURES}; 404 if the account is gone
     */
    public User delete(String userId, String password) {
        if (password == null || password.isEmpty()) {
            throw ChatAppException.invalid("password", "is required to delete the account");
        }
        User user = users.findById(userId).orElseThrow(() -> ChatAppException.notFound("your account does not exist"));
        if (limiter != null) {
            limiter.take(userId, FAILURES); // held while checked, as logins do: parallel guesses count
        }
        if (!passwords.matches().test(password, user.passwordHash())) {
            throw ChatAppException.forbidden("the password is wrong");
        }
        if (limiter != null) {
            limiter.giveBack(userId, FAILURES);
        }
        erase(user);
        return user;
    }

    /**
     * Deletes the account without a password check (an operator's command, tests). Every step is
     * idempotent; see the class comment for the order.
     */
    public void erase(User user) {
        String userId = user.userId();
        sessions.endOthers(userId, null);
        List<InboxEntry> conversations = conversations(userId);
        // Close every conversation before erasing any: from then on no send of either side is
        // stored (ChatStore#send refuses a blocked conversation inside its write), so nothing of
        // this account lands after the erasing pass below.
        List<Consent> closed = conversations.stream().map(this::close).toList();
        for (int i = 0; i < conversations.size(); i++) {
            InboxEntry entry = conversations.get(i);
            boolean removed = userId.equals(closed.get(i).requestedBy())
                    // A request of this account that was never accepted: the recipient no longer sees it.
                    && chats.removeRequest(entry.conversationId(), userId, entry.peerId());
            for (MediaRef ref : chats.eraseMessagesOf(entry.conversationId(), userId)) {
                deleteMedia(ref.mediaId());
            }
            tellPeer(user, entry, removed);
        }
        if (exports != null) {
            exports.deleteAll(userId);
        }
        if (notifications != null) {
            notifications.deleteUser(userId);
        }
        // the avatar (issue 21): its bytes and record; the profile itself goes with the account row
        String avatar = users.profiles(List.of(userId)).getOrDefault(userId, Profile.EMPTY).avatarMediaId();
        if (avatar != null) {
            deleteMedia(avatar);
        }
        users.delete(user); // audited by the caller (ACCOUNT_DELETED, docs/audit.md)
    }

    /**
     * The peer's connections learn what became of the conversation (their sockets stay open; the
     * deleted account's have closed with its sessions): gone, or closed with a deleted peer.
     */
    private void tellPeer(User user, InboxEntry entry, boolean removed) {
        if (removed) {
            events.accept(new ChatEvent.ConversationRemoved(entry.conversationId(), entry.peerId()));
            return;
        }
        Optional<InboxEntry> theirs = chats.inboxEntry(entry.peerId(), entry.conversationId());
        Optional<User> peer = users.findById(entry.peerId());
        if (theirs.isEmpty() || peer.isEmpty()) {
            return; // the peer's account is gone too
        }
        // as ChatService shows a deleted peer: a placeholder without a creation time
        User gone = new User(user.userId(), ChatService.DELETED_ACCOUNT, null, null, user.userType(), null, null, null);
        InboxEntry t = theirs.get();
        ConversationView forPeer = new ConversationView(t.conversationId(), gone, t.lastMessage(), t.unreadCount(),
                t.updatedAt(), t.consent(), true);
        ConversationView forUser = new ConversationView(entry.conversationId(), peer.get(), null, 0,
                entry.updatedAt(), t.consent());
        events.accept(new ChatEvent.ConversationChanged(forUser, user.userId(), forPeer, entry.peerId()));
    }

    /** Every conversation of the user, both folders, read page by page from their inbox rows. */
    private List<InboxEntry> conversations(String userId) {
        List<InboxEntry> all = new ArrayList<>();
        for (ChatStore.Folder folder : ChatStore.Folder.values()) {
            String position = null;
            do {
                Page<InboxEntry> page = chats.inbox(userId, folder, PAGE, position);
                all.addAll(page.items());
                position = page.nextCursor();
            } while (position != null);
        }
        return all;
    }

    /**
     * Blocks the conversation in the deleted account's name (unless it is blocked already), so
     * that the peer's sends are refused with a clear 409 instead of going to nobody. Retries a
     * lost compare-and-set with the fresh consent.
     *
     * @return the conversation's consent now (its {@code requestedBy} still names the requester
     *     of a conversation never accepted)
     */
    private Consent close(InboxEntry entry) {
        Consent current = entry.consent();
        for (int attempt = 0; attempt < 10 && current.state() != ConversationState.BLOCKED; attempt++) {
            Consent next = new Consent(ConversationState.BLOCKED, current.requestedBy(), entry.userId());
            if (chats.changeConsent(entry.conversationId(), entry.userId(), entry.peerId(), current, next)) {
                return next;
            }
            Optional<InboxEntry> fresh = chats.inboxEntry(entry.userId(), entry.conversationId());
            if (fresh.isEmpty()) {
                return current;
            }
            current = fresh.get().consent();
        }
        return current;
    }

    private void deleteMedia(String mediaId) {
        new Erasure(media, files).erase(mediaId); // the one way media is made unreachable for good
    }
}
