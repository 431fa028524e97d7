package chatapp.notification;

import chatapp.account.Emails;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.realtime.TicketStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Email verification (docs/security.md, "Email verification"): at sign-up, and on request, the
 * user gets a link that works once for {@link #LIFETIME}; following it marks the address
 * verified. Once it is verified, sign-up with that address no longer says that it is taken: the
 * answer is that of a sign-up that needs verification, and the owner gets an email instead
 * ({@link #hideTakenAddress}).
 */
public final class EmailVerification {

    /** How long a verification link works (issue 20). */
    public static final Duration LIFETIME = Duration.ofHours(24);

    private final UserStore users;
    private final EmailLinks links;
    private final Mailer mailer;
    private final EmailTexts texts;
    private final RateLimiter limiter;

    /**
     * At most 3 "someone tried to sign up with your address" emails per address an hour, as
     * password reset requests (docs/security.md, "Limits"): sign-ups must not become a way to
     * flood someone's mailbox.
     */
    static final RateLimiter.Limit SIGN_UP_ATTEMPT_EMAILS = RateLimiter.Limit.perPeriod("sign-up-attempt-email", 3,
            Duration.ofHours(1), "too many sign-up attempts with this address");

    /**
     * @param texts the emails' words and links; null only with {@link Mailer#OFF}
     * @param limits where the per-address limit of sign-up attempt emails is counted
     */
    public EmailVerification(UserStore users, TicketStore links, RateLimitStore limits, Mailer mailer,
            EmailTexts texts, Clock clock) {
        if (mailer.on() && texts == null) {
            throw new IllegalArgumentException("emails need the app's public address");
        }
        this.limiter = new RateLimiter(limits, clock);
        this.users = users;
        this.links = new EmailLinks(links, clock);
        this.mailer = mailer;
        this.texts = texts;
    }

    /** Whether emails are sent at all (SMTP configured): sign-up then needs verification. */
    public boolean on() {
        return mailer.on();
    }

    /** Sends {@code user} a verification link, unless email is off or the address is verified already. */
    public void send(User user) {
        if (!mailer.on() || users.emailVerified(user.userId())) {
            return;
        }
        String token = links.issue(EmailLinks.Purpose.VERIFY_EMAIL, user.userId(), LIFETIME);
        mailer.send(texts.verification(user.email(), user.username(), token));
    }

    /**
     * Follows a verification link: marks the address of its account verified. Works once.
     *
     * @return the account's id
     * @throws chatapp.core.ChatAppException {@code validation_failed} naming {@code token} when it
     *     is missing, unknown, used already or expired (after {@link #LIFETIME}); {@code not_found}
     *     if the account was deleted meanwhile
     */
    public String verify(String token) {
        String userId = links.spend(EmailLinks.Purpose.VERIFY_EMAIL, token).userId();
        if (users.findById(userId).isEmpty()) {
            throw EmailLinks.unknownLink(); // a deleted account must not be told apart from an unknown link
        }
        users.markEmailVerified(userId);
        return userId;
    }

    /** Whether the account's address is verified. */
    public boolean verified(String userId) {
        return users.emailVerified(userId);
    }

    /**
     * A sign-up was refused as {@code email_taken}: if email is on and that address is verified,
     * its owner is told by email and the refusal must not be shown (true: answer as for a sign-up
     * that needs verification). An unverified address keeps its 409 (false): nobody has proven
     * it is theirs, and the person who signed up with it can sign in or reset. The owner gets at
     * most {@link #SIGN_UP_ATTEMPT_EMAILS} such emails; past it the answer is the same (true) and
     * no email goes out.
     */
    public boolean hideTakenAddress(String email) {
        if (!mailer.on()) {
            return false;
        }
        String normalised = Emails.normalise(email);
        Optional<User> owner = normalised == null ? Optional.empty() : users.findByEmail(normalised);
        if (owner.isEmpty() || !users.emailVerified(owner.get().userId())) {
            return false;
        }
        if (limiter.tryTake(owner.get().userId(), SIGN_UP_ATTEMPT_EMAILS)) {
            mailer.send(texts.signUpAttempt(owner.get().email(), owner.get().username()));
        }
        return true;
    }
}
