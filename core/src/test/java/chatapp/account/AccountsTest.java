package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The account rules that need no store: input validation as issue 12 words it, and the login
 * timing rule (an unknown email costs one hash check, like a wrong password). The stores'
 * rules are in {@link UserStoreContract} and {@link SessionStoreContract}.
 */
class AccountsTest {

    /** Records what was checked; "hashes" are the password with a prefix. */
    private final List<String> checkedAgainst = new ArrayList<>();
    private final PasswordHashing hashing = new PasswordHashing(raw -> "{test}" + raw,
            (raw, hash) -> {
                checkedAgainst.add(hash);
                return hash.equals("{test}" + raw);
            },
            hash -> false);
    private final List<User> created = new ArrayList<>();
    private final UserStore users = new UserStore() {
        public boolean delete(User u) {
            return created.removeIf(c -> c.userId().equals(u.userId()));
        }

        public Optional<User> findById(String id) {
            return created.stream().filter(u -> u.userId().equals(id)).findFirst();
        }

        public Optional<User> findByEmail(String email) {
            return created.stream().filter(u -> u.email().equals(email)).findFirst();
        }

        public void create(User u) {
            created.add(u);
        }

        public void update(User current, User updated) {
            throw new UnsupportedOperationException();
        }

        public List<User> byUsername(UserType t, String p, String a, int l) {
            throw new UnsupportedOperationException();
        }

        public List<User> bySpecializationTerm(UserType t, String p, String a, int l) {
            throw new UnsupportedOperationException();
        }

        public boolean emailVerified(String userId) {
            throw new UnsupportedOperationException();
        }

        public void markEmailVerified(String userId) {
            throw new UnsupportedOperationException();
        }

        public java.util.Map<String, Profile> profiles(java.util.Collection<String> ids) {
            throw new UnsupportedOperationException();
        }

        public boolean replaceProfile(String userId, Profile expected, Profile updated) {
            throw new UnsupportedOperationException();
        }
    };
    private final List<RefreshSession> sessions = new ArrayList<>();
    private final SessionStore sessionStore = new SessionStore() {
        public void create(RefreshSession s) {
            sessions.add(s);
        }

        public Rotation rotate(String presented, Successor next, java.time.Instant now) {
            throw new UnsupportedOperationException();
        }

        public Optional<String> revoke(String hash, String userId, java.time.Instant now) {
            throw new UnsupportedOperationException();
        }

        public List<String> revokeOthers(String userId, String keep) {
            throw new UnsupportedOperationException();
        }

        public boolean revokeSession(String userId, String sessionId) {
            throw new UnsupportedOperationException();
        }

        public boolean live(String userId, String sessionId, java.time.Instant now) {
            throw new UnsupportedOperationException();
        }

        public List<Session> sessions(String userId, java.time.Instant now) {
            throw new UnsupportedOperationException();
        }

        public void touch(String userId, String sessionId, java.time.Instant at) {
            throw new UnsupportedOperationException();
        }
    };
    private final Accounts accounts = new Accounts(users, sessionStore, hashing, new CursorCodec(new byte[32]),
            Clock.systemUTC());

    private List<String> invalidFields(Registration r) {
        try {
            accounts.register(r);
            return List.of();
        } catch (ChatAppException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            return e.fieldErrors().stream().map(FieldError::field).toList();
        }
    }

    private static Registration parent(String username, String email, String password) {
        return new Registration(username, email, password, "parent", null, 1);
    }

    @Test
    void usernamesAre3To32AsciiLettersDigitsDotUnderscoreDash() {
        assertThat(invalidFields(parent("ab", "a@example.org", "Good-Password-123"))).containsExactly("username");
        assertThat(invalidFields(parent("a".repeat(33), "b@example.org", "Good-Password-123"))).containsExactly("username");
        assertThat(invalidFields(parent("héllo", "c@example.org", "Good-Password-123"))).containsExactly("username");
        assertThat(invalidFields(parent("with space", "d@example.org", "Good-Password-123"))).containsExactly("username");
        assertThat(invalidFields(parent("A.b_c-9", "e@example.org", "Good-Password-123"))).isEmpty();
        assertThat(invalidFields(parent("a".repeat(32), "f@example.org", "Good-Password-123"))).isEmpty();
    }

    @Test
    void emailsMustBeValidAtMost254AndAreStoredNormalised() {
        assertThat(invalidFields(parent("user1", "no-at-sign", "Good-Password-123"))).containsExactly("email");
        assertThat(invalidFields(parent("user2", "a@b", "Good-Password-123"))).containsExactly("email");
        String long255 = "a".repeat(64) + "@" + "b".repeat(186) + ".org";
        assertThat(long255).hasSize(255);
        assertThat(invalidFields(parent("user3", long255, "Good-Password-123"))).containsExactly("email");
        SignedIn ok = accounts.register(parent("user4", "  Mixed.Case@Example.ORG ", "Good-Password-123"));
        assertThat(ok.user().email()).isEqualTo("mixed.case@example.org");
    }

    @Test
    void passwordsAre12To128NotCommonAndNotTheUsernameOrEmail() {
        assertThat(invalidFields(parent("user5", "g@example.org", "Short-pw-11"))).containsExactly("password");
        assertThat(invalidFields(parent("user6", "h@example.org", "x".repeat(129)))).containsExactly("password");
        assertThat(invalidFields(parent("user7", "i@example.org", "PASSWORD1234"))).containsExactly("password");
        assertThat(invalidFields(parent("username-long", "j@example.org", "Username-Long"))).containsExactly("password");
        assertThat(invalidFields(parent("user8", "k.long@example.org", "K.Long@example.org"))).containsExactly("password");
        assertThat(invalidFields(parent("user9", "l@example.org", "x".repeat(128)))).isEmpty();
    }

    @Test
    void therapistsNeedASpecializationAndParentsHave0To20Children() {
        assertThat(invalidFields(new Registration("ther1", "m@example.org", "Good-Password-123", "therapist", null, null)))
                .containsExactly("specialization");
        assertThat(invalidFields(new Registration("ther2", "n@example.org", "Good-Password-123", "therapist", "  ", 2)))
                .containsExactly("specialization", "childrenCount");
        assertThat(invalidFields(new Registration("par1", "o@example.org", "Good-Password-123", "parent", "Art", 21)))
                .containsExactly("specialization", "childrenCount");
        assertThat(invalidFields(new Registration("par2", "p@example.org", "Good-Password-123", "parent", null, -1)))
                .containsExactly("childrenCount");
        assertThat(invalidFields(new Registration("par3", "q@example.org", "Good-Password-123", "nurse", null, null)))
                .containsExactly("userType");
        assertThat(accounts.register(new Registration("par4", "r@example.org", "Good-Password-123", "parent", null, null))
                .user().childrenCount()).isZero();
    }

    @Test
    void anUnknownEmailCostsOneHashCheckAgainstTheDummyHashLikeAWrongPassword() {
        accounts.register(parent("known", "known@example.org", "Good-Password-123"));
        checkedAgainst.clear();
        assertThatThrownBy(() -> accounts.login("known@example.org", "Wrong-Password-000"))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
        assertThatThrownBy(() -> accounts.login("unknown@example.org", "Wrong-Password-000"))
                .isInstanceOfSatisfying(ChatAppException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
        assertThatThrownBy(() -> accounts.login("not an email", "Wrong-Password-000"))
                .isInstanceOf(ChatAppException.class);
        assertThat(checkedAgainst).hasSize(3);
        assertThat(checkedAgainst.get(1)).isEqualTo(checkedAgainst.get(2)).isNotEqualTo(checkedAgainst.get(0));
        assertThat(sessions).hasSize(1); // only the sign-up started a session
    }
}
