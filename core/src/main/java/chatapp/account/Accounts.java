package chatapp.account;

import chatapp.core.ChatAppException;
import chatapp.core.CursorCodec;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import chatapp.core.Ids;
import chatapp.core.Page;
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
import java.util.Locale;
import java.util.Optional;

/**
 * Accounts: sign-up, login and sessions (issue 12, API.md "auth" and "users"). Validates input,
 * hashes passwords through {@link PasswordHashing}, keeps accounts in a {@link UserStore} and
 * refresh-token chains in a {@link SessionStore}. Access tokens are the server's business.
 */
public final class Accounts {

    /** Refresh tokens live 30 days from their issue (issue 12). */
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);
    /**
     * How long after a rotation the token it replaced may be presented again for the same
     * successor instead of counting as reuse (the "reuse interval" of Auth0 and Okta). A client
     * whose refresh answer was lost (a reload or a closed tab cut the request off after the
     * server rotated; a dropped connection) repeats the old token within a second or two;
     * 10 s covers that on a slow phone network. It gives a thief little: a stolen token
     * replayed in the window yields only the successor that the owner holds too (sealed, so
     * only a holder of the old token can open it), and whichever of the two refreshes later,
     * outside the window, presents a spent token, which revokes the chain. Any older token,
     * and the previous one after this window, still revokes the chain at once
     * (docs/decisions/0023-accounts-refresh-repeat.md).
     */
    public static final Duration REFRESH_REPEAT_GRACE = Duration.ofSeconds(10);
    private static final String DUMMY_PASSWORD = "not a password: equalises login timing";

    private final UserStore users;
    private final Sessions sessions;
    private final PasswordHashing passwords;
    private final Clock clock;
    private final CursorCodec cursors;
    /**
     * The hash an unknown email's password is checked against; made by the first login, not at
     * start (an Argon2 hash was about 5 % of a start's CPU; docs/benchmarks.md).
     */
    private volatile String dummyHash;

    /** Accounts whose sessions end through {@code sessions} (which tells who must know). */
    public Accounts(UserStore users, Sessions sessions, PasswordHashing passwords, CursorCodec cursors, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.passwords = passwords;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** {@link #dummyHash}, made once (two first logins at once may both make one: the same work as one). */
    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = passwords.encode().apply(DUMMY_PASSWORD);
            dummyHash = h;
        }
        return h;
    }

    /** Accounts on a session store, telling nobody when a session ends (tests, tools). */
    public Accounts(UserStore users, SessionStore sessions, PasswordHashing passwords, CursorCodec cursors, Clock clock) {
        this(users, new Sessions(sessions, clock), passwords, cursors, clock);
    }

    /**
     * Creates an account and signs it in.
     *
     * @throws ChatAppException {@code validation_failed} naming every invalid field;
     *     {@code email_taken} or {@code username_taken} (409)
     */
    public SignedIn register(Registration r) {
        return register(r, Client.UNKNOWN);
    }

    /**
     * Creates an account and signs it in from {@code client} (shown in the session list).
     *
     * @throws ChatAppException as {@link #register(Registration)}
     */
    public SignedIn register(Registration r, Client client) {
        List<FieldError> errors = new ArrayList<>();
        boolean emailValid = AccountRules.unicode("email", r.email(), errors);
        String email = emailValid ? Emails.normalise(r.email()) : null;
        UserType type = AccountRules.unicode("userType", r.userType(), errors) ? UserType.fromWire(r.userType()) : null;
        if (AccountRules.unicode("username", r.username(), errors)) {
            AccountRules.username(r.username(), errors);
        }
        if (emailValid) {
            AccountRules.email(email, errors);
        }
        if (AccountRules.unicode("password", r.password(), errors)) {
            AccountRules.password("password", r.password(), r.username(), email, errors);
        }
        if (type == null && errors.stream().noneMatch(e -> e.field().equals("userType"))) {
            errors.add(new FieldError("userType", "must be 'parent' or 'therapist'"));
        }
        if (AccountRules.unicode("specialization", r.specialization(), errors)) {
            AccountRules.specialization(type, r.specialization(), errors);
        }
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
        return startSession(user, client);
    }

    /**
     * Signs in by email and password. An unknown email and a wrong password give the same
     * refusal after the same work (a hash check against a dummy hash).
     *
     * @throws ChatAppException {@code invalid_credentials} (401); {@code password_reset_required}
     *     (403) for an account imported without a usable password ({@link AccountImport#RESET_REQUIRED})
     */
    public SignedIn login(String email, String password) {
        return login(email, password, Client.UNKNOWN);
    }

    /**
     * Signs in from {@code client} (shown in the session list).
     *
     * @throws ChatAppException as {@link #login(String, String)}
     */
    public SignedIn login(String email, String password, Client client) {
        // Every login takes the dummy hash first, so the first one after start pays for making it
        // whether or not the email is known: its time tells nothing either way.
        String dummy = dummyHash();
        List<FieldError> errors = new ArrayList<>();
        AccountRules.unicode("email", email, errors);
        AccountRules.unicode("password", password, errors);
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors); // no account can hold such a string
        }
        String normalised = Emails.normalise(email);
        Optional<User> found = normalised == null || !Emails.valid(normalised) ? Optional.empty()
                : users.findByEmail(normalised);
        String raw = password == null ? "" : password;
        if (found.isEmpty()) {
            passwords.matches().test(raw, dummy);
            throw invalidCredentials();
        }
        User user = found.get();
        if (AccountImport.RESET_REQUIRED.equals(user.passwordHash())) {
            passwords.matches().test(raw, dummy); // the same work as any other login
            throw new ChatAppException(ErrorCode.PASSWORD_RESET_REQUIRED, "this account was brought over from the "
                    + "previous app without a usable password; it must set a new one by password reset");
        }
        if (!passwords.matches().test(raw, user.passwordHash())) {
            throw invalidCredentials();
        }
        if (passwords.needsUpgrade().test(user.passwordHash())) {
            user = upgradeHash(user, raw);
        }
        return startSession(user, client);
    }

    /** Re-hashes a password stored with an older algorithm or cost (the prototype's bcrypt). */
    private User upgradeHash(User user, String raw) {
        User upgraded = with(user, user.username(), user.specialization(), user.childrenCount(), passwords.encode().apply(raw));
        try {
            users.update(user, upgraded);
            return upgraded;
        } catch (ChatAppException e) {
            return user; // changed meanwhile: the next login upgrades it
        }
    }

    /**
     * Trades a refresh token for a new pair (rotation). Presenting a spent token revokes its
     * whole chain (API.md), with one exception: the chain's immediately previous token, presented
     * within {@link #REFRESH_REPEAT_GRACE} of its rotation, gets the same successor again (the
     * answer to the first presentation was lost, e.g. a page reload cut the request off) and
     * revokes nothing.
     *
     * @throws ChatAppException {@code validation_failed} (400) naming {@code refreshToken} when it
     *     is missing or blank; {@code invalid_token} (401) for an unknown, expired, revoked or
     *     spent token
     */
    public SignedIn refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw ChatAppException.invalid("refreshToken", "is required");
        }
        if (refreshToken.length() > 200) {
            throw invalidRefreshToken();
        }
        String token = Ids.randomToken(32);
        Instant now = clock.instant();
        SessionStore.Successor next = new SessionStore.Successor(tokenHash(token), SuccessorSeal.seal(token, refreshToken),
                now.plus(REFRESH_TOKEN_LIFETIME).truncatedTo(ChronoUnit.MILLIS),
                now.plus(REFRESH_REPEAT_GRACE).truncatedTo(ChronoUnit.MILLIS));
        SessionStore.Rotation rotation = sessions.store().rotate(tokenHash(refreshToken), next, now);
        String issued = switch (rotation.outcome()) {
            case ROTATED -> token;
            case REPEATED -> SuccessorSeal.open(rotation.sealedSuccessor(), refreshToken)
                    .orElseThrow(Accounts::invalidRefreshToken);
            case REUSED -> {
                // the chain was revoked as stolen: its access tokens and sockets end now, not in 5 s
                sessions.endedInStore(rotation.userId(), rotation.sessionId());
                throw invalidRefreshToken();
            }
            case REJECTED -> throw invalidRefreshToken();
        };
        User user = users.findById(rotation.userId()).orElseThrow(Accounts::invalidRefreshToken);
        return new SignedIn(user, rotation.sessionId(), issued);
    }

    /**
     * Logout: ends the caller's session ({@code sessionId}, the one its access token names) and
     * the session of this refresh token if it is the caller's. Ending a session ends its refresh
     * chain, access tokens, tickets and WebSockets ({@link Sessions}). Unknown tokens, and other
     * users' tokens, are ignored: the answer is the same. Without a refresh token (null: a logout
     * with the access token alone) only the caller's session ends (issue 19).
     *
     * @throws ChatAppException {@code validation_failed} naming {@code refreshToken} when it is given but blank
     */
    public void logout(String userId, String sessionId, String refreshToken) {
        if (refreshToken == null) {
            if (sessionId != null) {
                sessions.endIfLive(userId, sessionId);
            }
            return;
        }
        if (refreshToken.isBlank()) {
            throw ChatAppException.invalid("refreshToken", "must not be blank; leave it out to end this session only");
        }
        Optional<String> ofToken = refreshToken.length() <= 200
                ? sessions.endByToken(userId, tokenHash(refreshToken)) : Optional.empty();
        if (sessionId != null && !ofToken.map(sessionId::equals).orElse(false)) {
            sessions.endIfLive(userId, sessionId);
        }
    }

    /**
     * The id of the account holding {@code email}, if any: the audit log names the account a
     * failed sign-in was for (docs/audit.md). One read by key.
     */
    public Optional<String> accountOf(String email) {
        String normalised = Emails.normalise(email);
        return normalised == null || !Emails.valid(normalised) ? Optional.empty()
                : users.findByEmail(normalised).map(User::userId);
    }

    /** Log out everywhere: ends every session of {@code userId}, the caller's included; their ids. */
    public List<String> logoutEverywhere(String userId) {
        return sessions.endOthers(userId, null);
    }

    /** The caller's live sessions, oldest first (API.md, {@code GET /users/me/sessions}). */
    public List<Session> sessions(String userId) {
        return sessions.list(userId);
    }

    /**
     * Ends one of the caller's sessions (API.md, {@code DELETE /users/me/sessions/{sessionId}}).
     *
     * @throws ChatAppException {@code not_found} if it is not a live session of the caller's
     */
    public void endSession(String userId, String sessionId) {
        sessions.end(userId, sessionId);
    }

    /**
     * Changes the caller's account (API.md, {@code PATCH /users/me}). A password change needs
     * the current password and ends every other session of the user (refresh tokens, access
     * tokens, tickets, WebSockets; {@link Sessions}); the caller's session ({@code sessionId})
     * stays.
     *
     * @throws ChatAppException {@code validation_failed} naming every invalid field (also
     *     {@code email}/{@code userType}, which cannot change, and a wrong
     *     {@code currentPassword}); {@code username_taken} or {@code conflict} (409)
     */
    public User update(String userId, String sessionId, ProfileChanges c) {
        User current = get(userId);
        List<FieldError> errors = new ArrayList<>();
        if (c.email() != null) {
            errors.add(new FieldError("email", "cannot be changed"));
        }
        if (c.userType() != null) {
            errors.add(new FieldError("userType", "cannot be changed"));
        }
        String username = c.username() == null ? current.username() : c.username();
        if (c.username() != null && AccountRules.unicode("username", c.username(), errors)) {
            AccountRules.username(c.username(), errors);
        }
        if (c.specialization() != null && AccountRules.unicode("specialization", c.specialization(), errors)) {
            AccountRules.specialization(current.userType(), c.specialization(), errors);
        }
        if (c.childrenCount() != null) {
            AccountRules.childrenCount(current.userType(), c.childrenCount(), errors);
        }
        String hash = current.passwordHash();
        if (c.password() != null) {
            if (AccountRules.unicode("password", c.password(), errors)) {
                AccountRules.password("password", c.password(), username, current.email(), errors);
            }
            // a currentPassword that is not valid Unicode is named as such and never hashed (that would throw)
            if (AccountRules.unicode("currentPassword", c.currentPassword(), errors)
                    && (c.currentPassword() == null
                            || !passwords.matches().test(c.currentPassword(), current.passwordHash()))) {
                errors.add(new FieldError("currentPassword", c.currentPassword() == null
                        ? "is required to change the password" : "is not your current password"));
            }
        }
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        if (c.password() != null) {
            hash = passwords.encode().apply(c.password());
        }
        User updated = with(current, username,
                c.specialization() == null ? current.specialization() : c.specialization().strip(),
                c.childrenCount() == null ? current.childrenCount() : c.childrenCount(), hash);
        if (!updated.equals(current)) {
            users.update(current, updated);
        }
        if (c.password() != null) {
            sessions.endOthers(userId, sessionId);
        }
        return updated;
    }

    /**
     * Sets a new password without the current one, for a password reset by email
     * ({@code chatapp.notification.PasswordReset}, which has checked the link): the sign-up
     * password rules apply; every session of the user ends (refresh tokens, access tokens,
     * tickets, WebSockets; {@link Sessions}); an account imported without a usable password
     * ({@link AccountImport#RESET_REQUIRED}) can sign in from then on.
     *
     * @return the account as updated
     * @throws ChatAppException {@code validation_failed} naming {@code newPassword}; {@code not_found}
     *     if the account is gone
     */
    public User resetPassword(String userId, String newPassword) {
        return resetPassword(userId, newPassword, current -> { });
    }

    /**
     * {@link #resetPassword(String, String)}, with {@code stillValid} run on the account as read
     * before the write (again on each retry); the write happens only if the password hash is
     * still the one it saw, so a check of the hash there holds under concurrency. It refuses by
     * throwing.
     */
    public User resetPassword(String userId, String newPassword, java.util.function.Consumer<User> stillValid) {
        for (int attempt = 0; ; attempt++) {
            User current = get(userId);
            stillValid.accept(current);
            List<FieldError> errors = new ArrayList<>();
            if (newPassword == null) {
                errors.add(new FieldError("newPassword", "is required"));
            } else if (AccountRules.unicode("newPassword", newPassword, errors)) {
                AccountRules.password("newPassword", newPassword, current.username(), current.email(), errors);
            }
            if (!errors.isEmpty()) {
                throw ChatAppException.invalid(errors);
            }
            User updated = with(current, current.username(), current.specialization(), current.childrenCount(),
                    passwords.encode().apply(newPassword));
            try {
                users.update(current, updated);
            } catch (ChatAppException e) {
                if (e.code() == ErrorCode.CONFLICT && attempt < 2) {
                    continue; // the profile changed meanwhile: read it again
                }
                throw e;
            }
            sessions.endOthers(userId, null);
            return updated;
        }
    }

    /**
     * The directory (API.md, {@code GET /users}): accounts of {@code type} whose username or
     * specialization starts with {@code q} (case-insensitive; null or blank: all), ordered by
     * username, a page at a time. Parents list therapists and therapists list parents.
     *
     * @throws ChatAppException {@code validation_failed} for a missing or unknown type, a
     *     {@code q} over 64 characters or a bad limit; {@code forbidden} (403) for one's own
     *     type; {@code bad_cursor} for a cursor not made for this list and caller
     */
    public Page<User> directory(String callerId, String typeWire, String q, Integer limit, String cursor) {
        int n = Page.limit(limit);
        UserType type = UserType.fromWire(typeWire);
        if (type == null) {
            throw ChatAppException.invalid("type", "must be 'parent' or 'therapist'");
        }
        String prefix = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        if (prefix.length() > 64) {
            throw ChatAppException.invalid("q", "must be at most 64 characters");
        }
        User caller = get(callerId);
        if (caller.userType() == type) {
            throw ChatAppException.forbidden("a " + caller.userType().wire() + " can list only "
                    + caller.userType().counterpart().wire() + "s");
        }
        String scope = "users:" + type.wire() + ":" + prefix + ":" + callerId;
        String after = cursors.decode(scope, cursor);
        List<User> found = Directory.merge(users, type, prefix, after, n + 1);
        boolean more = found.size() > n;
        List<User> items = more ? found.subList(0, n) : found;
        return new Page<>(items, more ? cursors.encode(scope, items.getLast().usernameKey()) : null);
    }

    /**
     * The account with this id.
     *
     * @throws ChatAppException {@code not_found} if there is none
     */
    public User get(String userId) {
        return users.findById(userId).orElseThrow(() -> ChatAppException.notFound("no such user"));
    }

    /**
     * Another account's public view (API.md, {@code GET /users/{userId}}) as {@code callerId} may
     * see it. Parents do not see other parents, as in the directory (their profile says how many
     * children they have): a parent asking for another parent gets the same {@code not_found} as
     * for an unknown id, so the answer says nothing of whether the id exists. The exception for a
     * peer of the caller never applies to two parents: only a parent and a therapist converse
     * (API.md: parent-parent is 403), so no shared conversation has to be looked up.
     *
     * @throws ChatAppException {@code not_found} if there is no such account or the caller may not see it
     */
    public User profile(String callerId, String userId) {
        User found = get(userId);
        if (found.userType() == UserType.PARENT && !found.userId().equals(callerId)
                && get(callerId).userType() == UserType.PARENT) {
            throw ChatAppException.notFound("no such user");
        }
        return found;
    }

    private static User with(User u, String username, String specialization, Integer childrenCount, String hash) {
        return new User(u.userId(), username, u.email(), hash, u.userType(), specialization, childrenCount, u.createdAt());
    }

    private SignedIn startSession(User user, Client client) {
        String token = Ids.randomToken(32);
        String sessionId = Ids.random();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String address = client.address() == null || client.address().length() > 64 ? null : client.address();
        sessions.store().create(new RefreshSession(sessionId, user.userId(), tokenHash(token),
                now.plus(REFRESH_TOKEN_LIFETIME), Devices.summary(client.userAgent()), address, now));
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

    private static ChatAppException invalidRefreshToken() {
        return new ChatAppException(ErrorCode.INVALID_TOKEN,
                "the refresh token is not valid (unknown, expired, revoked or already used); log in again");
    }

    private static ChatAppException invalidCredentials() {
        return new ChatAppException(ErrorCode.INVALID_CREDENTIALS, "the email or the password is wrong");
    }

}
