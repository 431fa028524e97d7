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

/**
 * The rules every {@link SessionStore} adapter keeps: rotation, the repeat of the previous token
 * within {@link Accounts#REFRESH_REPEAT_GRACE}, reuse detection, revocation, expiry. Tokens here
 * are real ones, hashed and sealed the way {@link Accounts} does it, so that a repeat is shown to
 * hand back a token that works.
 */
public abstract class SessionStoreContract {

    /** The store under test. */
    protected abstract SessionStore store();

    private static final Duration GRACE = Accounts.REFRESH_REPEAT_GRACE;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Instant later = now.plus(Duration.ofDays(30));

    /** A chain's token as its holder has it: the raw token and the chain. */
    private record Held(String token, RefreshSession session) {
        String hash() {
            return session.tokenHash();
        }
    }

    private static String hash() {
        return Ids.randomToken(32);
    }

    private Held start(String userId) {
        String token = Ids.randomToken(32);
        RefreshSession s = new RefreshSession(Ids.random(), userId, Accounts.tokenHash(token), later);
        store().create(s);
        return new Held(token, s);
    }

    /** A candidate successor of {@code presented}, to be offered at {@code at}. */
    private Held next(Held presented, Instant at) {
        String token = Ids.randomToken(32);
        return new Held(token, new RefreshSession(presented.session().sessionId(), presented.session().userId(),
                Accounts.tokenHash(token), at.plus(Duration.ofDays(30))));
    }

    private SessionStore.Rotation present(Held presented, Held candidate, Instant at) {
        return store().rotate(presented.hash(), new SessionStore.Successor(candidate.hash(),
                SuccessorSeal.seal(candidate.token(), presented.token()), candidate.session().expiresAt(), at.plus(GRACE)), at);
    }

    /** Presents {@code presented} at {@code at} with a fresh candidate successor. */
    private Outcome presentAt(Held presented, Instant at) {
        return present(presented, next(presented, at), at).outcome();
    }

    /** Rotates {@code presented} at {@code at} and returns the successor (asserting it rotated). */
    private Held rotated(Held presented, Instant at) {
        Held n = next(presented, at);
        assertThat(present(presented, n, at).outcome()).isEqualTo(Outcome.ROTATED);
        return n;
    }

    @Test
    void theCurrentTokenRotatesOnceAndTheNewOneWorks() {
        Held s = start(Ids.random());
        Held n1 = next(s, now);
        assertThat(present(s, n1, now)).isEqualTo(new SessionStore.Rotation(Outcome.ROTATED, s.session().userId(),
                s.session().sessionId()));
        assertThat(presentAt(n1, now.plusSeconds(60))).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void withinTheGraceWindowThePreviousTokenGetsTheSameSuccessorAndTheChainLives() {
        Held s = start(Ids.random());
        Held n1 = rotated(s, now);

        Held offered = next(s, now.plusSeconds(1));
        SessionStore.Rotation repeat = present(s, offered, now.plusSeconds(1));
        assertThat(repeat.outcome()).isEqualTo(Outcome.REPEATED);
        assertThat(repeat.userId()).isEqualTo(s.session().userId());
        assertThat(repeat.sessionId()).isEqualTo(s.session().sessionId());
        assertThat(SuccessorSeal.open(repeat.sealedSuccessor(), s.token()))
                .as("the repeat hands back the successor issued at the rotation").contains(n1.token());
        assertThat(SuccessorSeal.open(repeat.sealedSuccessor(), n1.token())).as("sealed for the old token only").isEmpty();
        SessionStore.Rotation last = present(s, next(s, now), now.plus(GRACE).minusMillis(1));
        assertThat(last.outcome()).as("again, up to the end of the window").isEqualTo(Outcome.REPEATED);
        assertThat(SuccessorSeal.open(last.sealedSuccessor(), s.token())).contains(n1.token());

        assertThat(presentAt(offered, now.plus(GRACE))).as("a repeat stores no second live token")
                .isEqualTo(Outcome.REJECTED);
        Held n2 = rotated(n1, now.plus(GRACE));
        assertThat(presentAt(n2, now.plusSeconds(60))).as("the chain stays alive").isEqualTo(Outcome.ROTATED);
    }

    @Test
    void afterTheGraceWindowThePreviousTokenRevokesTheChain() {
        Held s = start(Ids.random());
        Held n1 = rotated(s, now);

        assertThat(present(s, next(s, now), now.plus(GRACE))).isEqualTo(
                new SessionStore.Rotation(Outcome.REUSED, s.session().userId(), s.session().sessionId()));
        assertThat(presentAt(n1, now.plus(GRACE).plusMillis(1))).as("the owner's current token is dead too")
                .isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(s, now.plusSeconds(1))).as("and no repeat from a revoked chain")
                .isEqualTo(Outcome.REJECTED);
    }

    @Test
    void aTokenTwoGenerationsOldRevokesTheChainEvenWithinTheWindow() {
        Held s = start(Ids.random());
        Held n1 = rotated(s, now);
        Held n2 = rotated(n1, now.plusMillis(10));

        assertThat(presentAt(s, now.plusMillis(20))).isEqualTo(Outcome.REUSED);
        assertThat(presentAt(n2, now.plusMillis(30))).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(n1, now.plusMillis(40))).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void logoutAndRevokeOthersStillEndTheChainWithinTheWindow() {
        String user = Ids.random();
        Held phone = start(user);
        Held phone1 = rotated(phone, now);
        assertThat(store().revoke(phone1.hash(), user, now.plusMillis(5))).contains(phone.session().sessionId());
        assertThat(presentAt(phone, now.plusMillis(10))).as("logged out: no repeat").isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(phone1, now.plusMillis(10))).isEqualTo(Outcome.REJECTED);

        Held laptop = start(user);
        Held laptop1 = rotated(laptop, now);
        Held keep = start(user);
        store().revokeOthers(user, keep.session().sessionId());
        assertThat(presentAt(laptop, now.plusMillis(10))).as("password changed: no repeat").isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(laptop1, now.plusMillis(10))).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(keep, now.plusMillis(10))).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void unknownAndExpiredTokensAreRejected() {
        assertThat(store().rotate(hash(), new SessionStore.Successor(hash(), "sealed", later, now.plus(GRACE)), now).outcome())
                .isEqualTo(Outcome.REJECTED);
        Held s = start(Ids.random());
        assertThat(presentAt(s, later.plusMillis(1))).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(s, now)).as("still valid before expiry").isEqualTo(Outcome.ROTATED);
    }

    @Test
    void logoutRevokesThatChainOnly() {
        String user = Ids.random();
        Held phone = start(user);
        Held laptop = start(user);
        assertThat(store().revoke(laptop.hash(), Ids.random(), now)).as("not the owner").isEmpty();
        assertThat(store().revoke(phone.hash(), user, now)).contains(phone.session().sessionId());
        assertThat(store().revoke(phone.hash(), user, now)).as("already revoked").isEmpty();
        assertThat(store().revoke(hash(), user, now)).isEmpty();
        assertThat(presentAt(phone, now)).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(laptop, now)).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void revokeOthersKeepsOnlyTheGivenChainOfThatUser() {
        String user = Ids.random();
        Held keep = start(user);
        Held other1 = start(user);
        Held other2 = start(user);
        Held stranger = start(Ids.random());
        assertThat(store().revokeOthers(user, keep.session().sessionId())).as("the ids it revoked")
                .containsExactlyInAnyOrder(other1.session().sessionId(), other2.session().sessionId());
        assertThat(store().revokeOthers(user, keep.session().sessionId())).as("none left to revoke").isEmpty();

        assertThat(presentAt(other1, now)).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(other2, now)).isEqualTo(Outcome.REJECTED);
        assertThat(presentAt(keep, now)).isEqualTo(Outcome.ROTATED);
        assertThat(presentAt(stranger, now)).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void aSessionIsLiveUntilRevokedOrExpiredAndOnlyForItsOwner() {
        String user = Ids.random();
        Held phone = start(user);
        Held laptop = start(user);
        String phoneId = phone.session().sessionId();
        assertThat(store().live(user, phoneId, now)).isTrue();
        assertThat(store().live(Ids.random(), phoneId, now)).as("another user's id").isFalse();
        assertThat(store().live(user, Ids.random(), now)).as("unknown").isFalse();
        assertThat(store().live(user, phoneId, later)).as("expired").isFalse();
        rotated(phone, now);
        assertThat(store().live(user, phoneId, now)).as("rotating keeps it live").isTrue();

        assertThat(store().revokeSession(Ids.random(), phoneId)).as("not the owner").isFalse();
        assertThat(store().live(user, phoneId, now)).isTrue();
        assertThat(store().revokeSession(user, phoneId)).isTrue();
        assertThat(store().revokeSession(user, phoneId)).as("already ended").isFalse();
        assertThat(store().live(user, phoneId, now)).isFalse();
        assertThat(presentAt(phone, now.plusMillis(1))).isEqualTo(Outcome.REJECTED);
        assertThat(store().live(user, laptop.session().sessionId(), now)).as("the other session").isTrue();

        assertThat(store().revokeOthers(user, null)).as("null keeps none").containsExactly(laptop.session().sessionId());
        assertThat(store().live(user, laptop.session().sessionId(), now)).isFalse();
    }

    @Test
    void sessionsTrustALiveAnswerForItsTtlKnowTheirOwnEndingsAtOnceAndTicketsAskTheStore() {
        chatapp.core.SettableClock clock = new chatapp.core.SettableClock(now);
        List<SessionEnded> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        Sessions here = new Sessions(store(), clock, Duration.ofSeconds(5), told::add);
        Sessions elsewhere = new Sessions(store(), clock, Duration.ofSeconds(5), e -> { });
        String user = Ids.random();
        String a = start(user).session().sessionId();
        String b = start(user).session().sessionId();
        assertThat(here.live(user, a)).isTrue();
        assertThat(elsewhere.live(user, a)).isTrue();
        assertThat(elsewhere.live(user, b)).isTrue();

        here.end(user, a);
        assertThat(told).containsExactly(new SessionEnded(user, a));
        assertThat(here.live(user, a)).as("the ending process knows at once").isFalse();
        assertThat(elsewhere.live(user, a)).as("another trusts its answer until the TTL").isTrue();
        assertThat(elsewhere.liveNow(user, a)).as("but not for a ticket").isFalse();
        assertThat(elsewhere.live(user, a)).isFalse();

        assertThat(here.endOthers(user, null)).containsExactly(b);
        assertThat(elsewhere.live(user, b)).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(elsewhere.live(user, b)).as("after the TTL").isFalse();
        assertThat(told).containsExactly(new SessionEnded(user, a), new SessionEnded(user, b));
        assertThat(here.live(user, null)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> here.end(user, a)).as("ended already")
                .isInstanceOf(chatapp.core.ChatAppException.class);
    }

    @Test
    void theSessionListShowsLiveSessionsOldestFirstWithDeviceAddressAndLastUse() {
        String user = Ids.random();
        Instant first = now.minusSeconds(120);
        RefreshSession phone = new RefreshSession(Ids.random(), user, Accounts.tokenHash(Ids.randomToken(32)), later,
                "Safari on iPhone", "203.0.113.7", first);
        RefreshSession laptop = new RefreshSession(Ids.random(), user, Accounts.tokenHash(Ids.randomToken(32)), later,
                null, null, first.plusMillis(1));
        RefreshSession ended = new RefreshSession(Ids.random(), user, Accounts.tokenHash(Ids.randomToken(32)), later,
                "Firefox on Linux", "::1", first.plusMillis(2));
        RefreshSession stranger = new RefreshSession(Ids.random(), Ids.random(), Accounts.tokenHash(Ids.randomToken(32)),
                later, "Chrome on Windows", "198.51.100.1", first);
        for (RefreshSession s : List.of(laptop, phone, ended, stranger)) {
            store().create(s);
        }
        store().revokeSession(user, ended.sessionId());

        assertThat(store().sessions(user, now)).containsExactly(
                new Session(phone.sessionId(), "Safari on iPhone", "203.0.113.7", first, first),
                new Session(laptop.sessionId(), null, null, first.plusMillis(1), first.plusMillis(1)));

        store().touch(user, phone.sessionId(), now);
        store().touch(user, phone.sessionId(), now.minusSeconds(30)); // an older use never moves it back
        store().touch(user, Ids.random(), now); // unknown: nothing
        assertThat(store().sessions(user, now).getFirst().lastUsedAt()).isEqualTo(now);
        assertThat(store().sessions(user, later)).as("expired").isEmpty();
        assertThat(store().sessions(Ids.random(), now)).isEmpty();
    }

    @Test
    void ofConcurrentRefreshesWithOneTokenOneRotatesAndTheOthersGetThatSameSuccessor() throws Exception {
        for (int round = 0; round < 3; round++) {
            Held s = start(Ids.random());
            int n = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SessionStore.Rotation>> results = new ArrayList<>();
            List<Held> candidates = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    Held candidate = next(s, now);
                    candidates.add(candidate);
                    results.add(pool.submit(() -> {
                        go.await();
                        return present(s, candidate, now);
                    }));
                }
                go.countDown();
                List<Outcome> outcomes = new ArrayList<>();
                List<String> handedOut = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    SessionStore.Rotation r = results.get(i).get();
                    outcomes.add(r.outcome());
                    if (r.outcome() == Outcome.ROTATED) {
                        handedOut.add(candidates.get(i).token());
                    } else if (r.outcome() == Outcome.REPEATED) {
                        handedOut.add(SuccessorSeal.open(r.sealedSuccessor(), s.token()).orElseThrow());
                    }
                }
                assertThat(outcomes).containsOnlyOnce(Outcome.ROTATED).containsOnly(Outcome.ROTATED, Outcome.REPEATED);
                Held winner = candidates.get(outcomes.indexOf(Outcome.ROTATED));
                assertThat(handedOut).as("every caller holds the one live token").containsOnly(winner.token());
                assertThat(presentAt(winner, now.plusSeconds(1))).as("the chain lives on").isEqualTo(Outcome.ROTATED);
            }
        }
    }
}
