package chatapp.notification;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatStore;
import chatapp.chat.InboxEntry;
import chatapp.chat.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The unread-message email (docs/notifications.md, "Email"), the same in every shape: when a
 * message is stored, its recipient's reminder for that conversation is queued for the recipient's
 * {@link Preferences#emailDelay} later (unless one is pending: one email per conversation per
 * period). When it runs, it checks again, at that time: email still on, address verified, the
 * conversation still unread (a read receipt in between cancels it, as it sets the count to 0).
 * During quiet hours nothing is sent; a summary is queued for their end ("3 conversations have
 * unread messages"). An email never contains a message's text: only the sender's name and a link.
 *
 * <p>Queuing is cheap and off the sender's path (docs/notifications.md, "Unread-message
 * reminders"): {@link #on} hands the message to this class's own threads (a bounded queue; when it
 * is full the caller does the work itself, so nothing is dropped), and a reminder known to be
 * pending for (recipient, conversation) makes the next messages cost no store access at all
 * until shortly before its time: that reminder, when it runs, sees them unread.
 */
public final class UnreadReminders implements AutoCloseable {

    /** How many inbox rows a summary counts at most. */
    static final int SUMMARY_LIMIT = 100;
    /** Messages waiting to be queued beyond this are queued by the thread that stored them. */
    public static final int QUEUE = 10_000;
    /** Threads that queue reminders: store round trips, few once reminders are known pending. */
    static final int THREADS = 2;
    /** How many reminders known to be pending are kept in memory; past it the expired ones go, then all. */
    static final int KNOWN_PENDING = 100_000;
    /**
     * A known pending reminder is trusted until this long before its time: a clock elsewhere (the
     * poller's, EventBridge's) a little ahead may claim it that much early.
     */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(30);
    private static final System.Logger log = System.getLogger(UnreadReminders.class.getName());

    private final ReminderQueue queue;
    private final ChatStore chats;
    private final UserStore users;
    private final Function<String, Preferences> preferences;
    private final Mailer mailer;
    private final EmailTexts texts;
    private final UnsubscribeTokens unsubscribe;
    private final Clock clock;
    /** Reminders known to be pending, by {@link Reminder#key}: their due time. */
    private final Map<String, Instant> knownPending = new ConcurrentHashMap<>();
    private final BackgroundWork workers;

    /**
     * @param preferences each user's notification preferences, by user id
     * @param texts null only with {@link Mailer#OFF}
     */
    public UnreadReminders(ReminderQueue queue, ChatStore chats, UserStore users,
            Function<String, Preferences> preferences, Mailer mailer, EmailTexts texts, UnsubscribeTokens unsubscribe,
            Clock clock) {
        if (mailer.on() && (texts == null || unsubscribe == null)) {
            throw new IllegalArgumentException("emails need the app's public address and an unsubscribe key");
        }
        this.queue = Objects.requireNonNull(queue);
        this.chats = Objects.requireNonNull(chats);
        this.users = Objects.requireNonNull(users);
        this.preferences = Objects.requireNonNull(preferences);
        this.mailer = mailer;
        this.texts = texts;
        this.unsubscribe = unsubscribe;
        this.clock = clock;
        // no thread where nothing is queued (the reminder Lambda)
        this.workers = new BackgroundWork("reminder-queuing", THREADS, QUEUE);
    }

    /**
     * A chat event, after its write is durable: a stored message is handed to this class's
     * thread, which {@link #messageStored queues its reminder}; returns at once. A message whose
     * reminder is known pending is not even handed over. When {@link #QUEUE} messages wait, the
     * caller queues the reminder itself: slower, never lost.
     */
    public void on(ChatEvent event) {
        if (!mailer.on() || !(event instanceof ChatEvent.MessageStored stored)) {
            return;
        }
        Message m = stored.message();
        if (knownPending(Reminder.key(m.recipientId(), m.conversationId()), clock.instant())) {
            return; // the common case: not even a hand-off
        }
        if (!workers.offer(() -> queueQuietly(m))) {
            queueQuietly(m); // full, or closing: this thread does it
        }
    }

    private void queueQuietly(Message m) {
        try {
            messageStored(m);
        } catch (RuntimeException e) {
            // the message is stored and acknowledged; the next message of the conversation queues again
            log.log(System.Logger.Level.WARNING, "could not queue an unread-message reminder for user "
                    + m.recipientId() + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * A message was stored (after its commit): queues its recipient's reminder, if they want
     * emails, unless one is pending for the conversation. A reminder this instance knows to be
     * pending (it queued it, or found it queued) skips the store altogether until
     * {@link #CLOCK_MARGIN} before its time; that reminder runs after this message's commit, so it
     * counts this message.
     *
     * @return whether this call wrote to the queue (a reminder queued, or one found pending)
     */
    public boolean messageStored(Message message) {
        if (!mailer.on()) {
            return false;
        }
        String key = Reminder.key(message.recipientId(), message.conversationId());
        Instant now = clock.instant();
        if (knownPending(key, now)) {
            return false;
        }
        Preferences p = preferences.apply(message.recipientId());
        if (!p.email()) {
            return false;
        }
        Reminder reminder = new Reminder(message.recipientId(), message.conversationId(), now.plus(p.emailDelay()));
        if (queue.schedule(reminder)) {
            remember(key, reminder.dueAt(), now);
        } else {
            // pending since before this message's commit (another node, or before a restart):
            // learn its time, so the next messages skip the store
            queue.pending(reminder.userId(), reminder.conversationId())
                    .ifPresent(r -> remember(key, r.dueAt(), now));
        }
        return true;
    }

    private boolean knownPending(String key, Instant now) {
        Instant due = knownPending.get(key);
        return due != null && now.isBefore(due.minus(CLOCK_MARGIN));
    }

    private void remember(String key, Instant dueAt, Instant now) {
        if (knownPending.size() >= KNOWN_PENDING) {
            knownPending.values().removeIf(due -> !now.isBefore(due.minus(CLOCK_MARGIN)));
            if (knownPending.size() >= KNOWN_PENDING) {
                knownPending.clear(); // only costs store accesses
            }
        }
        knownPending.put(key, dueAt);
    }

    /**
     * Waits until the messages handed to {@link #on} are queued, at most {@code timeout}: a
     * Lambda handler calls this before it returns (its process may be frozen after), tests to
     * observe the queue.
     *
     * @return false if some were still waiting at the timeout
     */
    public boolean awaitIdle(Duration timeout) {
        return workers.awaitIdle(timeout);
    }

    /**
     * Queues what is still waiting (at most 10 seconds) and stops the thread: on a clean stop no
     * reminder is lost. A crash loses what was waiting (docs/notifications.md).
     */
    @Override
    public void close() {
        int waiting = workers.waiting();
        if (!workers.drainAndStop(Duration.ofSeconds(10))) {
            log.log(System.Logger.Level.WARNING, "stopped before every unread-message reminder was queued (" + waiting
                    + " were waiting at the stop)");
        }
    }

    /**
     * Runs a reminder whose time has come (the server's poller, or the Lambda that EventBridge
     * Scheduler invokes). Claims it first, so a reminder delivered twice sends at most one email.
     *
     * @return what it did (for tests and the log)
     */
    public Outcome run(Reminder reminder) {
        if (!queue.claim(reminder)) {
            return Outcome.ALREADY_RUN;
        }
        knownPending.remove(reminder.key(), reminder.dueAt()); // run early (a test, an operator): the key is free
        if (!mailer.on()) {
            return Outcome.NOTHING;
        }
        Optional<User> user = users.findById(reminder.userId());
        if (user.isEmpty() || !users.emailVerified(reminder.userId())) {
            return Outcome.NOTHING;
        }
        Preferences p = preferences.apply(reminder.userId());
        if (!p.email()) {
            return Outcome.NOTHING;
        }
        Instant now = clock.instant();
        if (reminder.conversationId() == null) {
            return summary(user.get(), p, now);
        }
        Optional<InboxEntry> entry = chats.inboxEntry(reminder.userId(), reminder.conversationId());
        if (entry.isEmpty() || entry.get().unreadCount() == 0) {
            return Outcome.NOTHING;
        }
        if (p.quietAt(now)) {
            queue.schedule(new Reminder(reminder.userId(), null, p.quietEnds(now)));
            return Outcome.SUMMARY_QUEUED;
        }
        String sender = users.nameToShow(entry.get().peerId()).orElse("someone");
        mailer.send(texts.unread(user.get().email(), sender, unsubscribe.issue(reminder.userId())));
        return Outcome.SENT;
    }

    private Outcome summary(User user, Preferences p, Instant now) {
        if (p.quietAt(now)) {
            queue.schedule(new Reminder(user.userId(), null, p.quietEnds(now)));
            return Outcome.SUMMARY_QUEUED;
        }
        int unread = 0;
        for (ChatStore.Folder folder : ChatStore.Folder.values()) { // requests to the user count too
            unread += (int) chats.inbox(user.userId(), folder, SUMMARY_LIMIT, null).items().stream()
                    .filter(e -> e.unreadCount() > 0).count();
        }
        if (unread == 0) {
            return Outcome.NOTHING;
        }
        mailer.send(texts.summary(user.email(), unread, unsubscribe.issue(user.userId())));
        return Outcome.SENT;
    }

    /** What running a reminder did. */
    public enum Outcome {
        /** An email went out. */
        SENT,
        /** Quiet hours: a summary is queued for their end. */
        SUMMARY_QUEUED,
        /** Nothing to send (read meanwhile, email off, address not verified, account gone). */
        NOTHING,
        /** Another run claimed it first. */
        ALREADY_RUN
    }
}
