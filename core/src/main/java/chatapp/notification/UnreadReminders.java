package chatapp.notification;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.InboxEntry;
import chatapp.chat.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The unread-message email (docs/notifications.md, "Email"), the same in every shape: when a
 * message is stored, its recipient's reminder for that conversation is queued for the recipient's
 * {@link Preferences#emailDelay} later (unless one is pending: one email per conversation per
 * period). When it runs, it checks again, at that time: email still on, address verified, the
 * conversation still unread (a read receipt in between cancels it, as it sets the count to 0).
 * During quiet hours nothing is sent; a summary is queued for their end ("3 conversations have
 * unread messages"). An email never contains a message's text: only the sender's name and a link.
 */
public final class UnreadReminders {

    /** How many inbox rows a summary counts at most. */
    static final int SUMMARY_LIMIT = 100;

    private final ReminderQueue queue;
    private final ChatStore chats;
    private final UserStore users;
    private final Function<String, Preferences> preferences;
    private final Mailer mailer;
    private final EmailTexts texts;
    private final UnsubscribeTokens unsubscribe;
    private final Clock clock;

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
    }

    /** A message was stored (after its commit): queues its recipient's reminder, if they want emails. */
    public void messageStored(Message message) {
        if (!mailer.on()) {
            return;
        }
        Preferences p = preferences.apply(message.recipientId());
        if (!p.email()) {
            return;
        }
        queue.schedule(new Reminder(message.recipientId(), message.conversationId(), clock.instant().plus(p.emailDelay())));
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
