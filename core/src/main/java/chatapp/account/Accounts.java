package chatapp.account;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import chatapp.core.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Accounts: sign-up, login and sessions (issue 12, API.md "auth" and "users"). Validates input,
 * hashes passwords through {@link PasswordHashing}, keeps accounts in a {@link UserStore} and
 * refresh-token chains in a {@link SessionStore}. Access tokens are the server's business.
 */
public final class Accounts {

    /** Refresh tokens live 30 days from their issue (issue 12). */
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);
    private static final String DUMMY_PASSWORD = "not a password: equalises login timing";

    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordHashing passwords;
    private final Clock clock;
    private final String dummyHash;

    public Accounts(UserStore users, SessionStore sessions, PasswordHashing passwords, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.clock = clock;
        this.dummyHash = passwords.encode().apply(DUMMY_PASSWORD);
    }

    /**
     * Creates an account and signs it in.
     *
     * @throws ChatAppException {@code validation_failed} naming every invalid field;
     *     {@code email_taken} or {@code username_taken} (409)
     */
    public SignedIn register(Registration r) {
        String email = Emails.normalise(r.email());
        UserType type = UserType.fromWire(r.userType());
        List<FieldError> errors = new ArrayList<>();
        AccountRules.username(r.username(), errors);
        AccountRules.email(email, errors);
        AccountRules.password("password", r.password(), r.username(), email, errors);
        if (type == null) {
            errors.add(new FieldError("userType", "must be 'parent' or 'therapist'"));
        }
        AccountRules.specialization(type, r.specialization(), errors);
        AccountRules.childrenCount(type, r.childrenCount(), errors);
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        User user = new User(Ids.random(), r.username(), email, passwords.encode().apply(r.password()), type,
                type == UserType.THERAPIST ? r.specialization().strip() : null,
                type == UserType.PARENT ? (r.childrenCount() == null ? 0 : r.childrenCount()) : null,
                now);
        users.create(user);
        return startSession(user);
    }

    /**
     * Signs in by email and password. An unknown email and a wrong password give the same
     * refusal after the same work (a hash check against a dummy hash).
     *
     * @throws ChatAppException {@code invalid_credentials} (401)
     */
    public SignedIn login(String email, String password) {
        String normalised = Emails.normalise(email);
        Optional<User> found = normalised == null || !Emails.valid(normalised) ? Optional.empty()
                : users.findByEmail(normalised);
        String raw = password == null ? "" : password;
        if (found.isEmpty()) {
            passwords.matches().test(raw, dummyHash);
            throw invalidCredentials();
        }
        User user = found.get();
        if (!passwords.matches().test(raw, user.passwordHash())) {
            throw invalidCredentials();
        }
        return startSession(user);
    }

    /**
     * The account with this id.
     *
     * @throws ChatAppException {@code not_found} if there is none
     */
    public User get(String userId) {
        return users.findById(userId).orElseThrow(() -> ChatAppException.notFound("no such user"));
    }

    private SignedIn startSession(User user) {
        String token = Ids.randomToken(32);
        String sessionId = Ids.random();
        sessions.create(new RefreshSession(sessionId, user.userId(), tokenHash(token),
                clock.instant().plus(REFRESH_TOKEN_LIFETIME).truncatedTo(ChronoUnit.MILLIS)));
        return new SignedIn(user, sessionId, token);
    }

    /** SHA-256 of a refresh token, base64url: how the store knows a token without holding it. */
    static String tokenHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChatAppException invalidCredentials() {
        return new ChatAppException(ErrorCode.INVALID_CREDENTIALS, "the email or the password is wrong");
    }

}
