package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The profile rules every {@link UserStore} keeps (issue 21; docs/data-model.md, "users"): profiles
 * read back in one batch, compare-and-set changes, a profile that goes with its account; and the
 * input rules of {@link Profiles} on a real store. Subclasses give a store on a fresh database for
 * the class; tests use unique accounts, so they share it.
 */
public abstract class ProfileContract {

    /** The store under test. */
    protected abstract UserStore store();

    private User stored(UserType type) {
        User u = UserStoreContract.user(type);
        store().create(u);
        return u;
    }

    private static final Profile FULL = new Profile("Dr. Ana Müller 🌿", "avatar-1",
            "Speech and language therapy for children.\nTwenty years of practice.", "MSc, licensed SLP",
            "Little Voices, Lisbon");

    @Test
    void aNewAccountHasNoProfileAndUnknownIdsAreLeftOut() {
        User u = stored(UserType.PARENT);
        assertThat(store().profiles(List.of(u.userId(), Ids.random()))).isEmpty();
        assertThat(new Profiles(store()).of(u.userId())).isEqualTo(Profile.EMPTY);
    }

    @Test
    void profilesAreStoredAndReadBackInOneBatchWithEveryField() {
        User therapist = stored(UserType.THERAPIST);
        User parent = stored(UserType.PARENT);
        User without = stored(UserType.PARENT);
        Profile parents = new Profile("张伟 Zhang", null, null, null, null);

        assertThat(store().replaceProfile(therapist.userId(), Profile.EMPTY, FULL)).isTrue();
        assertThat(store().replaceProfile(parent.userId(), Profile.EMPTY, parents)).isTrue();

        var found = store().profiles(List.of(therapist.userId(), parent.userId(), without.userId(), therapist.userId()));
        assertThat(found).hasSize(2).containsEntry(therapist.userId(), FULL).containsEntry(parent.userId(), parents);
        assertThat(store().findById(therapist.userId())).as("the account itself is unchanged").contains(therapist);
    }

    @Test
    void aChangeFromAStaleProfileIsRefusedAndChangesNothing() {
        User u = stored(UserType.THERAPIST);
        assertThat(store().replaceProfile(u.userId(), Profile.EMPTY, FULL)).isTrue();

        Profile other = new Profile("Someone else", null, null, null, null);
        assertThat(store().replaceProfile(u.userId(), Profile.EMPTY, other)).isFalse();
        assertThat(store().replaceProfile(u.userId(), FULL.withAvatar("avatar-2"), other)).isFalse();
        assertThat(store().profiles(List.of(u.userId()))).containsEntry(u.userId(), FULL);

        Profile cleared = new Profile(FULL.displayName(), null, null, FULL.credentials(), null);
        assertThat(store().replaceProfile(u.userId(), FULL, cleared)).isTrue();
        assertThat(store().profiles(List.of(u.userId()))).containsEntry(u.userId(), cleared);
        assertThat(store().replaceProfile(u.userId(), cleared, Profile.EMPTY)).isTrue();
        assertThat(store().profiles(List.of(u.userId()))).as("an emptied profile reads as none").isEmpty();
    }

    @Test
    void ofTwoChangesFromTheSameProfileAtOnceExactlyOneWins() throws Exception {
        User u = stored(UserType.PARENT);
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Profile mine = new Profile("Name " + i, "avatar-" + i, null, null, null);
                results.add(pool.submit(() -> {
                    start.await();
                    return store().replaceProfile(u.userId(), Profile.EMPTY, mine);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> r : results) {
                won += r.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Profile winner = store().profiles(List.of(u.userId())).get(u.userId());
        assertThat(winner.avatarMediaId()).isEqualTo("avatar-" + winner.displayName().substring(5));
    }

    @Test
    void aProfileOfNoAccountIsNotFoundAndNothingIsStored() {
        String nobody = Ids.random();
        assertThatThrownBy(() -> store().replaceProfile(nobody, Profile.EMPTY, FULL))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(store().profiles(List.of(nobody))).isEmpty();
        assertThat(store().findById(nobody)).isEmpty();
    }

    @Test
    void theProfileStaysThroughAccountChangesAndGoesWithTheAccount() {
        User u = stored(UserType.THERAPIST);
        store().replaceProfile(u.userId(), Profile.EMPTY, FULL);
        User renamed = new User(u.userId(), "Renamed." + u.username().substring(5), u.email(), u.passwordHash(),
                u.userType(), "Occupational therapy", null, u.createdAt());
        store().update(u, renamed);
        assertThat(store().profiles(List.of(u.userId()))).containsEntry(u.userId(), FULL);

        assertThat(store().delete(renamed)).isTrue();
        assertThat(store().profiles(List.of(u.userId()))).isEmpty();
        assertThatThrownBy(() -> store().replaceProfile(u.userId(), Profile.EMPTY, FULL))
                .isInstanceOf(ChatAppException.class);
    }

    @Test
    void editsAreCleanedNamedAndStored() {
        User therapist = stored(UserType.THERAPIST);
        Profiles profiles = new Profiles(store());

        Profiles.Edited edited = profiles.edit(therapist, new ProfileEdit("  Ｄｒ. Ana  ", "Bio", "MSc", null));
        assertThat(edited.profile()).isEqualTo(new Profile("Dr. Ana", null, "Bio", "MSc", null));
        assertThat(edited.fields()).containsExactly("displayName", "bio", "credentials");
        assertThat(profiles.of(therapist.userId())).isEqualTo(edited.profile());

        Profiles.Edited cleared = profiles.edit(therapist, new ProfileEdit(null, "", null, "Clinic"));
        assertThat(cleared.profile()).isEqualTo(new Profile("Dr. Ana", null, null, "MSc", "Clinic"));
        assertThat(cleared.fields()).containsExactly("bio", "practice");
        assertThat(profiles.edit(therapist, new ProfileEdit("Dr. Ana", null, null, null)).fields()).isEmpty();

        assertThat(profiles.replaceAvatar(therapist.userId(), "avatar-a")).isNull();
        assertThat(profiles.replaceAvatar(therapist.userId(), "avatar-b")).isEqualTo("avatar-a");
        assertThat(profiles.of(therapist.userId()).avatarMediaId()).isEqualTo("avatar-b");
        assertThat(profiles.of(therapist.userId()).displayName()).as("an avatar change keeps the rest").isEqualTo("Dr. Ana");
        assertThat(profiles.replaceAvatar(therapist.userId(), null)).isEqualTo("avatar-b");
        assertThat(profiles.of(therapist.userId()).avatarMediaId()).isNull();
    }

    @Test
    void lookAlikeInvisibleAndOverlongNamesAndParentsTherapistFieldsAreRefusedWithDetail() {
        User parent = stored(UserType.PARENT);
        Profiles profiles = new Profiles(store());

        assertThat(refused(profiles, parent, new ProfileEdit("Dr. Smіth", null, null, null))) // Cyrillic і
                .containsExactly("displayName: mixes scripts that look alike (Cyrillic and Latin); use the letters of one script");
        assertThat(refused(profiles, parent, new ProfileEdit("Ana\u202Eevil", null, null, null)))
                .containsExactly("displayName: must not contain control, direction or invisible characters "
                        + "(found U+202E RIGHT-TO-LEFT OVERRIDE)");
        assertThat(refused(profiles, parent, new ProfileEdit("An\u200Ba", null, null, null))).hasSize(1);
        assertThat(refused(profiles, parent, new ProfileEdit("x".repeat(65), null, null, null)))
                .containsExactly("displayName: must be at most 64 characters");
        assertThat(refused(profiles, parent, new ProfileEdit("\u3164", null, null, null))).hasSize(1);
        assertThat(refused(profiles, parent, new ProfileEdit(null, "Hello", "MSc", null)))
                .containsExactly("bio: is only for therapists", "credentials: is only for therapists");
        assertThat(profiles.of(parent.userId())).isEqualTo(Profile.EMPTY);

        User therapist = stored(UserType.THERAPIST);
        assertThat(refused(profiles, therapist, new ProfileEdit(null, "b".repeat(1001), "MSc\nPhD", "a\u2066b")))
                .containsExactly("bio: must be at most 1000 characters",
                        "credentials: must not contain control characters or line breaks (found U+000A LINE FEED (LF))",
                        "practice: must not contain direction controls (found U+2066 LEFT-TO-RIGHT ISOLATE)");
        // Scripts that belong together, and digits and punctuation, are fine.
        assertThat(profiles.edit(parent, new ProfileEdit("山田 花子 (やまだ)", null, null, null)).profile().displayName())
                .isEqualTo("山田 花子 (やまだ)");
        assertThat(profiles.edit(parent, new ProfileEdit("Σοφία", null, null, null)).profile().displayName())
                .isEqualTo("Σοφία");
    }

    private static List<String> refused(Profiles profiles, User user, ProfileEdit edit) {
        try {
            profiles.edit(user, edit);
        } catch (ChatAppException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            return e.fieldErrors().stream().map(f -> f.field() + ": " + f.message()).toList();
        }
        throw new AssertionError("accepted: " + edit);
    }
}
