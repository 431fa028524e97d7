package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.Ids;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link UserStore} adapter keeps (docs/architecture.md, "Data": users). Subclasses
 * give a store on a fresh database for the class; tests use unique names, so they share it.
 */
public abstract class UserStoreContract {

    /** The store under test. */
    protected abstract UserStore store();

    /** A valid account with unique username and email. */
    protected static User user(UserType type) {
        String tag = Ids.random().substring(0, 10).replace('-', 'x').replace('_', 'y');
        return new User(Ids.random(), "User." + tag, "u." + tag.toLowerCase() + "@example.org",
                "{argon2}$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", type,
                type == UserType.THERAPIST ? "Speech therapy" : null, type == UserType.PARENT ? 2 : null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aStoredAccountReadsBackByIdAndByEmailWithEveryField() {
        User therapist = user(UserType.THERAPIST);
        User parent = user(UserType.PARENT);
        store().create(therapist);
        store().create(parent);

        assertThat(store().findById(therapist.userId())).contains(therapist);
        assertThat(store().findByEmail(therapist.email())).contains(therapist);
        assertThat(store().findById(parent.userId())).contains(parent);
        assertThat(store().findByEmail(parent.email())).contains(parent);
    }

    @Test
    void unknownIdsAndEmailsAreEmpty() {
        assertThat(store().findById(Ids.random())).isEmpty();
        assertThat(store().findByEmail("nobody." + Ids.random().toLowerCase() + "@example.org")).isEmpty();
    }

    @Test
    void aSecondAccountWithTheSameEmailIsEmailTakenAndIsNotStored() {
        User first = user(UserType.PARENT);
        store().create(first);
        User second = withEmail(user(UserType.THERAPIST), first.email());

        assertThatThrownBy(() -> store().create(second))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EMAIL_TAKEN));
        assertThat(store().findById(second.userId())).isEmpty();
        assertThat(store().findByEmail(first.email())).contains(first);
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        User first = user(UserType.PARENT);
        store().create(first);
        User second = withUsername(user(UserType.PARENT), first.username().toUpperCase());

        assertThatThrownBy(() -> store().create(second))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USERNAME_TAKEN));
        assertThat(store().findById(second.userId())).isEmpty();
        assertThat(store().findByEmail(second.email())).as("the loser's email stays free").isEmpty();
        store().create(withUsername(second, "Other." + first.username().substring(5)));
    }

    @Test
    void twentyParallelSignUpsWithOneEmailGiveExactlyOneAccount() throws Exception {
        String email = user(UserType.PARENT).email();
        List<User> candidates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            candidates.add(withEmail(user(UserType.PARENT), email));
        }
        List<ErrorCode> outcomes = race(candidates);
        assertThat(outcomes.stream().filter(o -> o == null).count()).isEqualTo(1);
        assertThat(outcomes.stream().filter(o -> o == ErrorCode.EMAIL_TAKEN).count()).isEqualTo(19);
        User winner = candidates.get(outcomes.indexOf(null));
        assertThat(store().findByEmail(email)).contains(winner);
    }

    @Test
    void twentyParallelSignUpsWithOneUsernameGiveExactlyOneAccount() throws Exception {
        String username = user(UserType.THERAPIST).username();
        List<User> candidates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // the same name in different case: still one name
            candidates.add(withUsername(user(UserType.THERAPIST), i % 2 == 0 ? username : username.toLowerCase()));
        }
        List<ErrorCode> outcomes = race(candidates);
        assertThat(outcomes.stream().filter(o -> o == null).count()).isEqualTo(1);
        assertThat(outcomes.stream().filter(o -> o == ErrorCode.USERNAME_TAKEN).count()).isEqualTo(19);
        for (int i = 0; i < candidates.size(); i++) {
            assertThat(store().findByEmail(candidates.get(i).email()).isPresent()).isEqualTo(outcomes.get(i) == null);
        }
    }

    @Test
    void anUpdateChangesTheChangeableFieldsAndMovesTheUsername() {
        User before = user(UserType.THERAPIST);
        store().create(before);
        String newName = "Renamed." + before.username().substring(5);
        User after = new User(before.userId(), newName, before.email(), "{argon2}new-hash", UserType.THERAPIST,
                "Occupational therapy", null, before.createdAt());
        store().update(before, after);

        assertThat(store().findById(before.userId())).contains(after);
        assertThat(store().findByEmail(before.email())).contains(after);
        // the old name is free again, the new one is taken
        store().create(withUsername(user(UserType.PARENT), before.username()));
        assertThatThrownBy(() -> store().create(withUsername(user(UserType.PARENT), newName.toLowerCase())))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USERNAME_TAKEN));
    }

    @Test
    void anUpdateToATakenUsernameIsUsernameTakenAndChangesNothing() {
        User a = user(UserType.PARENT);
        User b = user(UserType.PARENT);
        store().create(a);
        store().create(b);
        User renamed = new User(b.userId(), a.username().toUpperCase(), b.email(), b.passwordHash(), b.userType(), null, 5,
                b.createdAt());
        assertThatThrownBy(() -> store().update(b, renamed))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USERNAME_TAKEN));
        assertThat(store().findById(b.userId())).contains(b);
    }

    @Test
    void anUpdateFromAStaleCopyIsAConflict() {
        User u = user(UserType.PARENT);
        store().create(u);
        User newPassword = new User(u.userId(), u.username(), u.email(), "{argon2}second", u.userType(), null, 1, u.createdAt());
        store().update(u, newPassword);
        User stale = new User(u.userId(), u.username(), u.email(), "{argon2}third", u.userType(), null, 3, u.createdAt());
        assertThatThrownBy(() -> store().update(u, stale))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(store().findById(u.userId())).contains(newPassword);
    }

    @Test
    void theUsernameRangeIsOrderedByUsernameIgnoringCaseAndPagesAfterAPosition() {
        String p = "dir" + Ids.random().substring(0, 6).toLowerCase().replace('-', 'x').replace('_', 'y');
        List<String> names = List.of(p + "-Carol", p + "-alice", p + "-Bob", p + "-dave");
        for (String name : names) {
            store().create(withUsername(user(UserType.PARENT), name));
        }
        store().create(withUsername(user(UserType.THERAPIST), p + "-aaron")); // another type

        assertThat(store().byUsername(UserType.PARENT, p, null, 10)).extracting(User::username)
                .containsExactly(p + "-alice", p + "-Bob", p + "-Carol", p + "-dave");
        assertThat(store().byUsername(UserType.PARENT, p, null, 2)).extracting(User::username)
                .containsExactly(p + "-alice", p + "-Bob");
        assertThat(store().byUsername(UserType.PARENT, p, (p + "-Bob").toLowerCase(), 2)).extracting(User::username)
                .containsExactly(p + "-Carol", p + "-dave");
        assertThat(store().byUsername(UserType.PARENT, p + "-c", null, 10)).extracting(User::username)
                .containsExactly(p + "-Carol");
        assertThat(store().byUsername(UserType.THERAPIST, p, null, 10)).extracting(User::username)
                .containsExactly(p + "-aaron");
        assertThat(store().byUsername(UserType.PARENT, p + "-e", null, 10)).isEmpty();
        // a position from the other range (a specialization match) may lie past this range
        assertThat(store().byUsername(UserType.PARENT, p, "zzzz", 10)).isEmpty();
        assertThat(store().byUsername(UserType.PARENT, p, "a", 10)).hasSize(4);
    }

    @Test
    void theSpecializationRangeFollowsEveryChangeAndIsOrderedByUsername() {
        String tag = Ids.random().substring(0, 6).toLowerCase().replace('-', 'x').replace('_', 'y');
        String spec = "Zq" + tag + " Speech";
        User zed = withSpecialization(withUsername(user(UserType.THERAPIST), "zed-" + tag), spec);
        User amy = withSpecialization(withUsername(user(UserType.THERAPIST), "Amy-" + tag), spec + " and language");
        User other = withSpecialization(withUsername(user(UserType.THERAPIST), "bea-" + tag), "Zr" + tag + " Play");
        store().create(zed);
        store().create(amy);
        store().create(other);
        String term = ("zq" + tag + " sp");

        assertThat(store().bySpecializationTerm(UserType.THERAPIST, term, null, 10)).containsExactly(amy, zed);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, term, amy.usernameKey(), 10)).containsExactly(zed);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, term, null, 1)).containsExactly(amy);
        assertThat(store().bySpecializationTerm(UserType.PARENT, term, null, 10)).isEmpty();

        User amyMoved = withSpecialization(amy, "Zr" + tag + " Music");
        store().update(amy, amyMoved);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, term, null, 10)).containsExactly(zed);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, "zr" + tag, null, 10)).containsExactly(amyMoved, other);

        User zedRenamed = withUsername(zed, "Abe-" + tag);
        store().update(zed, zedRenamed);
        User zedNarrower = withSpecialization(zedRenamed, spec + "es"); // shares every old term, adds some
        store().update(zedRenamed, zedNarrower);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, term, null, 10)).containsExactly(zedNarrower);
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, ("zq" + tag + " speeches"), null, 10))
                .containsExactly(zedNarrower);
    }

    /** Creates every candidate at once on real threads; null for a success, else the code. */
    private List<ErrorCode> race(List<User> candidates) throws InterruptedException, ExecutionException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ErrorCode>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(candidates.size())) {
            for (User u : candidates) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        store().create(u);
                        return null;
                    } catch (ChatAppException e) {
                        return e.code();
                    }
                }));
            }
            start.countDown();
            List<ErrorCode> outcomes = new ArrayList<>();
            for (Future<ErrorCode> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        }
    }

    @Test
    void aDeletedAccountIsGoneEverywhereAndFreesItsEmailAndUsername() {
        User therapist = user(UserType.THERAPIST);
        store().create(therapist);
        assertThat(store().delete(therapist)).isTrue();
        assertThat(store().findById(therapist.userId())).isEmpty();
        assertThat(store().findByEmail(therapist.email())).isEmpty();
        assertThat(store().byUsername(UserType.THERAPIST, therapist.usernameKey(), null, 10)).isEmpty();
        assertThat(store().bySpecializationTerm(UserType.THERAPIST, "speech", null, 100))
                .extracting(User::userId).doesNotContain(therapist.userId());
        assertThat(store().delete(therapist)).as("a second deletion").isFalse();
        User again = new User(chatapp.core.Ids.random(), therapist.username(), therapist.email(),
                therapist.passwordHash(), UserType.THERAPIST, "Speech therapy", null, therapist.createdAt());
        store().create(again); // email and username are free
        assertThat(store().findByEmail(therapist.email())).contains(again);
    }

    @Test
    void concurrentDeletionsOfOneAccountDeleteItOnceAndLeaveOthersAlone() throws Exception {
        User gone = user(UserType.PARENT);
        User other = user(UserType.PARENT);
        store().create(gone);
        store().create(other);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = pool.invokeAll(java.util.Collections.nCopies(4,
                    (java.util.concurrent.Callable<Boolean>) () -> store().delete(gone)));
            long deleted = 0;
            for (var r : results) {
                deleted += r.get() ? 1 : 0;
            }
            assertThat(deleted).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(store().findById(gone.userId())).isEmpty();
        assertThat(store().findById(other.userId())).contains(other);
        assertThat(store().findByEmail(other.email())).contains(other);
    }

    protected static User withEmail(User u, String email) {
        return new User(u.userId(), u.username(), email, u.passwordHash(), u.userType(), u.specialization(),
                u.childrenCount(), u.createdAt());
    }

    protected static User withSpecialization(User u, String specialization) {
        return new User(u.userId(), u.username(), u.email(), u.passwordHash(), u.userType(), specialization,
                u.childrenCount(), u.createdAt());
    }

    protected static User withUsername(User u, String username) {
        return new User(u.userId(), username, u.email(), u.passwordHash(), u.userType(), u.specialization(),
                u.childrenCount(), u.createdAt());
    }
}
