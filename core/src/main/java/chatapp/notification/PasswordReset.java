package chatapp.notification;

import chatapp.account.Accounts;
import chatapp.account.Emails;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.core.ChatAppException;
import chatapp.realtime.Ticket;
import chatapp.realtime.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Password reset by email (docs/security.md, "Password reset"): a request always gets the same
 * answer after the same work, whether or not the address has an account; an account gets a link
 * that works once for {@link #LIFETIME}; following it sets a new password (the sign-up rules),
 * ends every session of the account (sockets included), lets an account imported without a
 * usable password in, and marks the address verified (the link proves the mailbox is theirs).
 */
public final class PasswordReset {

    /** How long a reset link works (issue 20). */
    public static final Duration LIFETIME = Duration.ofMinutes(30);

    private final Accounts accounts;
    private final UserStore users;
    private final EmailLinks links;
    private final Mailer mailer;
    private final EmailTexts texts;

    /** @param texts the emails' words and links; null only with {@link Mailer#OFF} */
    public PasswordReset(Accounts accounts, UserStore users, TicketStore links, Mailer mailer, EmailTexts texts,
            Clock clock) {
        if (mailer.on() && texts == null) {
            throw new IllegalArgumentException("emails need the app's public address");
        }
        this.accounts = accounts;
        this.users = users;
        this.links = new EmailLinks(links, clock);
        this.mailer = mailer;
        this.texts = texts;
    }

    /**
     * Asks for a reset link for {@code email}. Returns normally in every case (the caller answers
     * the same): with an account, a link is emailed; without one, a store write of the same kind
     * is made so that the time taken does not tell (the email itself goes out asynchronously).
     *
     * @return whom the link was sent to (for the audit log), or empty
     * @throws ChatAppException {@code validation_failed} naming {@code email} only when it is missing or too long
     */
    public Optional<String> request(String email) {
        if (email == null) {
            throw ChatAppException.invalid("email", "is required");
        }
        if (email.length() > Emails.MAX_LENGTH) {
            throw ChatAppException.invalid("email", "must be at most " + Emails.MAX_LENGTH + " characters");
        }
        String normalised = Emails.normalise(email);
        Optional<User> user = normalised == null || !Emails.valid(normalised) || !mailer.on() ? Optional.empty()
                : users.findByEmail(normalised);
        if (user.isEmpty()) {
            links.decoy(LIFETIME);
            return Optional.empty();
        }
        String token = links.issue(EmailLinks.Purpose.RESET_PASSWORD, user.get().userId(), LIFETIME,
                fingerprint(user.get().passwordHash()));
        mailer.send(texts.passwordReset(user.get().email(), user.get().username(), token));
        return Optional.of(user.get().userId());
    }

    /**
     * Follows a reset link: sets {@code newPassword}, ends every session of the account, marks its
     * address verified. The link works once; a refused password leaves it working.
     *
     * A link is void once the account's password changed after it was issued (another reset
     * link followed, {@code PATCH /users/me}, a login that re-hashed it): the link carries a
     * fingerprint of the password hash it was issued under (docs/security.md).
     *
     * @return the account
     * @throws ChatAppException {@code validation_failed} naming {@code token} (missing, unknown,
     *     used already, expired after {@link #LIFETIME}, voided by a password change, or of an
     *     account that no longer exists: all alike) or {@code newPassword} (the sign-up rules)
     */
    public User confirm(String token, String newPassword) {
        Ticket spent = links.spend(EmailLinks.Purpose.RESET_PASSWORD, token);
        String issuedUnder = EmailLinks.binding(spent);
        User user;
        try {
            user = accounts.resetPassword(spent.userId(), newPassword, current -> {
                if (issuedUnder != null && !issuedUnder.equals(fingerprint(current.passwordHash()))) {
                    throw EmailLinks.unknownLink();
                }
            });
        } catch (ChatAppException e) {
            if (e.code() == chatapp.core.ErrorCode.NOT_FOUND) {
                throw EmailLinks.unknownLink(); // a deleted account's link is like any unknown one
            }
            if (e.code() == chatapp.core.ErrorCode.VALIDATION_FAILED
                    && e.fieldErrors().stream().noneMatch(f -> f.field().equals("token"))) {
                links.restore(spent);
            }
            throw e;
        }
        users.markEmailVerified(user.userId());
        return user;
    }

    /**
     * SHA-256 of the stored password hash, base64url: tells whether the password changed, and
     * is stored with a link instead of the hash itself (which must stay in the account only).
     */
    static String fingerprint(String passwordHash) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(passwordHash).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
