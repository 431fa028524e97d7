package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.Ids;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What email needs from the stores (issue 20), on each adapter: an account's verified mark
 * ({@link UserStore#emailVerified}) and the durable queue of unread-message reminders
 * ({@link ReminderQueue}: one pending per key, claimed exactly once). Subclasses give stores on a
 * fresh database for the class; tests use unique ids, so they share it.
 */
public abstract class EmailStoreContract {

    /** The accounts under test. */
    protected abstract UserStore users();

    /** The same shape's reminder queue. */
    protected abstract ReminderQueue reminders();

    private static User user() {
        String tag = Ids.random().substring(0, 10).replace('-', 'x').replace('_', 'y');
        return new User(Ids.random(), "User." + tag, "u." + tag.toLowerCase() + "@example.org",
                "{argon2}$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", UserType.PARENT, null, 1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
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
