package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link NotificationStore} (docs/notifications.md, docs/data-model.md): preferences
 * kept whole, one push subscription per session, removal by session, by endpoint and with the
 * account, and the away notice once per conversation per period under concurrency. Each store
 * runs it with a one-line subclass.
 */
public abstract class NotificationStoreContract {

    /** A fresh, empty store (or one whose data no other test uses). */
    protected abstract NotificationStore store();

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    static PushSubscription subscription(String userId, String sessionId, String endpoint) {
        byte[] key = new byte[65];
        key[0] = 4;
        key[1] = (byte) endpoint.length();
        byte[] auth = new byte[16];
        auth[0] = (byte) sessionId.length();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return PushSubscription.of(userId, sessionId, endpoint, b64.encodeToString(key), b64.encodeToString(auth), NOW,
                false, true);
    }

    @Test
    void preferencesAreKeptWholeAndEmptyUntilSaved() {
        NotificationStore store = store();
        assertThat(store.preferences("user-p1")).isEmpty();
        Preferences p = new Preferences(false, false, true, Duration.ofMinutes(45), ZoneId.of("Europe/Oslo"),
                LocalTime.of(22, 0), LocalTime.of(7, 0), "Back on Monday", LocalTime.of(8, 30), LocalTime.of(16, 0),
                EnumSet.of(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY));
        store.savePreferences("user-p1", p);
        assertThat(store.preferences("user-p1")).contains(p);
        store.savePreferences("user-p1", Preferences.defaults());
        assertThat(store.preferences("user-p1")).contains(Preferences.defaults());
        assertThat(store.preferences("user-p2")).isEmpty();
    }

    @Test
    void oneSubscriptionPerSessionReplacedBySubscribingAgain() {
        NotificationStore store = store();
        store.savePushSubscription(subscription("user-s1", "session-a", "https://push.example/a1"));
        store.savePushSubscription(subscription("user-s1", "session-b", "https://push.example/b"));
        store.savePushSubscription(subscription("user-s1", "session-a", "https://push.example/a2"));
        store.savePushSubscription(subscription("user-s2", "session-c", "https://push.example/c"));
        assertThat(store.pushSubscriptions("user-s1")).extracting(PushSubscription::endpoint)
                .containsExactlyInAnyOrder("https://push.example/a2", "https://push.example/b");
        PushSubscription stored = store.pushSubscriptions("user-s2").getFirst();
        assertThat(stored).usingRecursiveComparison().isEqualTo(subscription("user-s2", "session-c", "https://push.example/c"));
    }

    @Test
    void aSubscriptionEndsWithItsSessionOrItsEndpoint() {
        NotificationStore store = store();
        store.savePushSubscription(subscription("user-e1", "session-a", "https://push.example/a"));
        store.savePushSubscription(subscription("user-e1", "session-b", "https://push.example/b"));
        store.savePushSubscription(subscription("user-e2", "session-x", "https://push.example/b"));
        assertThat(store.deletePushSubscription("user-e1", "session-a")).isTrue();
        assertThat(store.deletePushSubscription("user-e1", "session-a")).isFalse();
        assertThat(store.deletePushEndpoint("user-e1", "https://push.example/b")).isTrue();
        assertThat(store.deletePushEndpoint("user-e1", "https://push.example/b")).isFalse();
        assertThat(store.pushSubscriptions("user-e1")).isEmpty();
        // Another user's subscription to the same endpoint is theirs: untouched.
        assertThat(store.pushSubscriptions("user-e2")).hasSize(1);
    }

    @Test
    void deletingTheUserRemovesPreferencesAndSubscriptions() {
        NotificationStore store = store();
        store.savePreferences("user-d1", Preferences.defaults());
        store.savePushSubscription(subscription("user-d1", "session-a", "https://push.example/a"));
        store.savePushSubscription(subscription("user-d1", "session-b", "https://push.example/b"));
        store.savePreferences("user-d2", Preferences.defaults());
        store.deleteUser("user-d1");
        assertThat(store.preferences("user-d1")).isEmpty();
        assertThat(store.pushSubscriptions("user-d1")).isEmpty();
        assertThat(store.preferences("user-d2")).isPresent();
    }

    @Test
    void theAwayNoticeIsShownOncePerConversationAndPeriodEvenUnderConcurrency() throws Exception {
        NotificationStore store = store();
        Instant periodEnds = NOW.plus(Duration.ofHours(10));
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Boolean> answers = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    answers.add(store.firstAwayNotice("conversation-a1", periodEnds, NOW));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(answers).hasSize(writers).containsOnlyOnce(true);
        // Another period, another conversation: shown again.
        assertThat(store.firstAwayNotice("conversation-a1", periodEnds.plus(Duration.ofDays(1)), NOW)).isTrue();
        assertThat(store.firstAwayNotice("conversation-a2", periodEnds, NOW)).isTrue();
        assertThat(store.firstAwayNotice("conversation-a2", periodEnds, NOW.plus(Duration.ofHours(1)))).isFalse();
        assertThat(Set.copyOf(answers)).contains(false);
    }
}
