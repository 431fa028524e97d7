package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.SessionStore.Rotation.Outcome;
import chatapp.core.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The rules every {@link SessionStore} adapter keeps: rotation, reuse detection, revocation, expiry. */
public abstract class SessionStoreContract {

    /** The store under test. */
    protected abstract SessionStore store();

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Instant later = now.plus(Duration.ofDays(30));

    private static String hash() {
        return Ids.randomToken(32);
    }

    private RefreshSession start(String userId) {
        RefreshSession s = new RefreshSession(Ids.random(), userId, hash(), later);
        store().create(s);
        return s;
    }

    private RefreshSession next(RefreshSession s) {
        return new RefreshSession(s.sessionId(), s.userId(), hash(), later.plusSeconds(60));
    }

    private SessionStore.Rotation rotate(String presented, RefreshSession next, Instant at) {
        return store().rotate(presented, next.tokenHash(), next.expiresAt(), at);
    }

    @Test
    void theCurrentTokenRotatesOnceAndTheNewOneWorks() {
        RefreshSession s = start(Ids.random());
        RefreshSession n1 = next(s);
        assertThat(rotate(s.tokenHash(), n1, now)).isEqualTo(new SessionStore.Rotation(Outcome.ROTATED, s.userId(), s.sessionId()));
        RefreshSession n2 = next(s);
        assertThat(rotate(n1.tokenHash(), n2, now).outcome()).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void reusingASpentTokenRevokesTheWholeChain() {
        RefreshSession s = start(Ids.random());
        RefreshSession n1 = next(s);
        rotate(s.tokenHash(), n1, now);

        assertThat(rotate(s.tokenHash(), next(s), now)).isEqualTo(new SessionStore.Rotation(Outcome.REUSED, s.userId(), s.sessionId()));
        assertThat(rotate(n1.tokenHash(), next(s), now).outcome()).as("the thief's or the owner's current token is dead too")
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void unknownAndExpiredTokensAreRejected() {
        assertThat(rotate(hash(), new RefreshSession(Ids.random(), Ids.random(), hash(), later), now).outcome())
                .isEqualTo(Outcome.REJECTED);
        RefreshSession s = start(Ids.random());
        assertThat(rotate(s.tokenHash(), next(s), later.plusMillis(1)).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rotate(s.tokenHash(), next(s), now).outcome()).as("still valid before expiry").isEqualTo(Outcome.ROTATED);
    }

    @Test
    void logoutRevokesThatChainOnly() {
        String user = Ids.random();
        RefreshSession phone = start(user);
        RefreshSession laptop = start(user);
        assertThat(store().revoke(laptop.tokenHash(), Ids.random(), now)).as("not the owner").isFalse();
        assertThat(store().revoke(phone.tokenHash(), user, now)).isTrue();
        assertThat(store().revoke(phone.tokenHash(), user, now)).as("already revoked").isFalse();
        assertThat(store().revoke(hash(), user, now)).isFalse();
        assertThat(rotate(phone.tokenHash(), next(phone), now).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rotate(laptop.tokenHash(), next(laptop), now).outcome()).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void revokeOthersKeepsOnlyTheGivenChainOfThatUser() {
        String user = Ids.random();
        RefreshSession keep = start(user);
        RefreshSession other1 = start(user);
        RefreshSession other2 = start(user);
        RefreshSession stranger = start(Ids.random());
        store().revokeOthers(user, keep.sessionId());

        assertThat(rotate(other1.tokenHash(), next(other1), now).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rotate(other2.tokenHash(), next(other2), now).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rotate(keep.tokenHash(), next(keep), now).outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(rotate(stranger.tokenHash(), next(stranger), now).outcome()).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void ofConcurrentRefreshesWithOneTokenExactlyOneRotatesAndTheChainEndsRevoked() throws Exception {
        RefreshSession s = start(Ids.random());
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SessionStore.Rotation>> results = new ArrayList<>();
        List<RefreshSession> nexts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                RefreshSession candidate = next(s);
                nexts.add(candidate);
                results.add(pool.submit(() -> {
                    go.await();
                    return rotate(s.tokenHash(), candidate, now);
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<SessionStore.Rotation> f : results) {
                outcomes.add(f.get().outcome());
            }
            // the first loser finds a spent token and revokes the chain; later ones may find it revoked
            assertThat(outcomes).containsOnlyOnce(Outcome.ROTATED).contains(Outcome.REUSED);
            RefreshSession winner = nexts.get(outcomes.indexOf(Outcome.ROTATED));
            assertThat(rotate(winner.tokenHash(), next(s), now).outcome())
                    .as("a replay raced the rotation: the chain is revoked").isEqualTo(Outcome.REJECTED);
        }
    }
}
