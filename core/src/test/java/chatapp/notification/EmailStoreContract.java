package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.core.CursorCodec;
import chatapp.core.Ids;
import chatapp.core.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What email needs from the stores (issue 20), on each adapter: an account's verified mark
 * ({@link UserStore#emailVerified}) and the durable queue of unread-message reminders
 * ({@link ReminderQueue}: one pending per key, claimed exactly once), and what
 * {@link UnreadReminders} makes of them: one queue write for the many messages of one conversation
 * in one period. Subclasses give stores on a fresh database for the class; tests use unique ids,
 * so they share it.
 */
public abstract class EmailStoreContract {

    /** The accounts under test. */
    protected abstract UserStore users();

    /** The same shape's reminder queue. */
    protected abstract ReminderQueue reminders();

    /** The same shape's conversations and messages. */
    protected abstract ChatStore chats();

    private static User user() {
        return user(UserType.PARENT);
    }

    private static User user(UserType type) {
        String tag = Ids.random().substring(0, 10).replace('-', 'x').replace('_', 'y');
        return new User(Ids.random(), "User." + tag, "u." + tag.toLowerCase() + "@example.org",
                "{argon2}$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", type,
                type == UserType.THERAPIST ? "Speech therapy" : null, type == UserType.PARENT ? 1 : null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** The real queue of this shape, counting the calls that write to it. */
    private final class CountedQueue implements ReminderQueue {
        final AtomicInteger schedules = new AtomicInteger();

        @Override
        public boolean schedule(Reminder reminder) {
            schedules.incrementAndGet();
            return reminders().schedule(reminder);
        }

        @Override
        public boolean claim(Reminder reminder) {
            return reminders().claim(reminder);
        }

        @Override
        public Optional<Reminder> pending(String userId, String conversationId) {
            return reminders().pending(userId, conversationId);
        }

        @Override
        public List<Reminder> due(Instant now, int limit) {
            return reminders().due(now, limit);
        }
    }

    private UnreadReminders unreadReminders(ReminderQueue queue, List<Email> sent, SettableClock clock) {
        return new UnreadReminders(queue, chats(), users(), id -> Preferences.defaults(), sent::add,
                new EmailTexts("https://chat.example.org"),
                new UnsubscribeTokens("an unsubscribe key of at least 32 bytes!".getBytes()), clock);
    }

    private ChatService chat(SettableClock clock, UnreadReminders reminders) {
        return new ChatService(chats(), users(), new CursorCodec("a cursor key of at least thirty-two bytes".getBytes()),
                clock, e -> {
                    if (e instanceof ChatEvent.MessageStored stored) {
                        reminders.messageStored(stored.message());
                    }
                });
    }

    @Test
    void theManyMessagesOfAConversationInOnePeriodWriteOneReminderAndSendOneEmail() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        users().create(therapist);
        users().create(parent);
        users().markEmailVerified(therapist.userId());
        CountedQueue queue = new CountedQueue();
        List<Email> sent = new CopyOnWriteArrayList<>();
        UnreadReminders reminders = unreadReminders(queue, sent, clock);
        ChatService chat = chat(clock, reminders);
        String conversationId = chat.open(parent.userId(), therapist.userId()).conversation().conversationId();
        chat.accept(therapist.userId(), conversationId);

        int n = 20;
        for (int i = 0; i < n; i++) {
            chat.send(parent.userId(), conversationId, "m" + i, Content.text("message " + i));
            clock.advance(Duration.ofSeconds(10)); // 200 s in all, well inside the 15-minute delay
        }
        assertThat(queue.schedules).as("queue writes for " + n + " messages").hasValue(1);
        Reminder pending = reminders().pending(therapist.userId(), conversationId).orElseThrow();
        assertThat(pending.dueAt()).isEqualTo(clock.instant().minusSeconds(200).plus(Preferences.DEFAULT_EMAIL_DELAY));

        clock.advance(Duration.between(clock.instant(), pending.dueAt()));
        assertThat(reminders.run(pending)).isEqualTo(UnreadReminders.Outcome.SENT);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().subject()).startsWith("You have a new message from");
        assertThat(reminders().pending(therapist.userId(), conversationId)).isEmpty();

        // a message after the reminder ran queues the next one
        chat.send(parent.userId(), conversationId, "after", Content.text("one more"));
        assertThat(queue.schedules).hasValue(2);
        assertThat(reminders().pending(therapist.userId(), conversationId)).map(Reminder::dueAt)
                .contains(clock.instant().plus(Preferences.DEFAULT_EMAIL_DELAY));
    }

    @Test
    void aReminderPendingBeforeThisInstanceIsFoundOnceThenSkipped() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        users().create(therapist);
        users().create(parent);
        List<Email> sent = new CopyOnWriteArrayList<>();
        // another node (or this one before a restart) queued it
        ChatService before = chat(clock, unreadReminders(reminders(), sent, clock));
        String conversationId = before.open(parent.userId(), therapist.userId()).conversation().conversationId();
        before.accept(therapist.userId(), conversationId);
        before.send(parent.userId(), conversationId, "first", Content.text("first"));
        Reminder pending = reminders().pending(therapist.userId(), conversationId).orElseThrow();

        CountedQueue queue = new CountedQueue();
        UnreadReminders reminders = unreadReminders(queue, sent, clock);
        ChatService chat = chat(clock, reminders);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(30));
            chat.send(parent.userId(), conversationId, "m" + i, Content.text("message " + i));
        }
        assertThat(queue.schedules).as("one attempt, then the pending one is known").hasValue(1);
        assertThat(reminders().pending(therapist.userId(), conversationId)).contains(pending);

        // shortly before its time it is no longer trusted: the queue is asked again
        clock.advance(Duration.between(clock.instant(), pending.dueAt().minus(UnreadReminders.CLOCK_MARGIN)));
        chat.send(parent.userId(), conversationId, "late", Content.text("late"));
        assertThat(queue.schedules).hasValue(2);
        assertThat(reminders().pending(therapist.userId(), conversationId)).contains(pending);
        assertThat(sent).isEmpty();
    }

    @Test
    void pendingTellsTheReminderOfAKeyUntilItIsClaimed() {
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        Reminder r = new Reminder(Ids.random(), Ids.random(), at);
        Reminder summary = new Reminder(r.userId(), null, at.plusSeconds(60));
        assertThat(reminders().pending(r.userId(), r.conversationId())).isEmpty();
        reminders().schedule(r);
        reminders().schedule(summary);
        assertThat(reminders().pending(r.userId(), r.conversationId())).contains(r);
        assertThat(reminders().pending(r.userId(), null)).contains(summary);
        assertThat(reminders().pending(r.userId(), Ids.random())).isEmpty();
        reminders().claim(r);
        assertThat(reminders().pending(r.userId(), r.conversationId())).isEmpty();
        assertThat(reminders().pending(r.userId(), null)).contains(summary);
    }

    @Test
    void anAccountStartsUnverifiedAndStaysVerifiedOnceMarkedThroughAPasswordChange() {
        User u = user();
        users().create(u);
        assertThat(users().emailVerified(u.userId())).isFalse();

        users().markEmailVerified(u.userId());
        users().markEmailVerified(u.userId()); // idempotent
        assertThat(users().emailVerified(u.userId())).isTrue();

        User changed = new User(u.userId(), u.username(), u.email(), "{argon2}other", u.userType(),
                u.specialization(), u.childrenCount(), u.createdAt());
        users().update(u, changed);
        assertThat(users().emailVerified(u.userId())).isTrue();
        assertThat(users().findById(u.userId())).contains(changed);
    }

    @Test
    void anUnknownAccountIsUnverifiedAndMarkingItCreatesNothing() {
        String id = Ids.random();
        users().markEmailVerified(id);
        assertThat(users().emailVerified(id)).isFalse();
        assertThat(users().findById(id)).isEmpty();
    }

    @Test
    void oneReminderIsPendingPerKeyAndTheFirstStands() {
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        Reminder first = new Reminder(Ids.random(), Ids.random(), at);
        assertThat(reminders().schedule(first)).isTrue();
        assertThat(reminders().schedule(new Reminder(first.userId(), first.conversationId(), at.plusSeconds(60))))
                .isFalse();
        // another conversation, and the user's summary, are other keys
        assertThat(reminders().schedule(new Reminder(first.userId(), Ids.random(), at))).isTrue();
        assertThat(reminders().schedule(new Reminder(first.userId(), null, at))).isTrue();

        // the later one was not queued: claiming it gets nothing, the first is still there
        assertThat(reminders().claim(new Reminder(first.userId(), first.conversationId(), at.plusSeconds(60))))
                .isFalse();
        assertThat(reminders().claim(first)).isTrue();
    }

    @Test
    void aReminderIsClaimedOnceAndItsKeyIsFreeAgainAfterwards() {
        Instant at = Instant.parse("2026-05-01T10:00:00Z");
        Reminder r = new Reminder(Ids.random(), Ids.random(), at);
        assertThat(reminders().claim(r)).isFalse(); // nothing pending
        reminders().schedule(r);
        assertThat(reminders().claim(r)).isTrue();
        assertThat(reminders().claim(r)).isFalse();

        Reminder next = new Reminder(r.userId(), r.conversationId(), at.plusSeconds(900));
        assertThat(reminders().schedule(next)).isTrue();
        assertThat(reminders().claim(r)).isFalse(); // the old one, delivered late: not the pending one
        assertThat(reminders().claim(next)).isTrue();
    }

    @Test
    void tenConcurrentClaimsOfOneReminderGiveExactlyOneWinner() throws Exception {
        Reminder r = new Reminder(Ids.random(), null, Instant.parse("2026-05-01T10:00:00Z"));
        reminders().schedule(r);
        int n = 10;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return reminders().claim(r);
                }));
            }
            int won = 0;
            for (Future<Boolean> f : claims) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
