package chatapp.account;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Brings one account of the Django prototype over (issue 23, docs/decisions/0039-prototype-import.md):
 * the same input rules as sign-up ({@link AccountRules}), an id derived from the prototype's, and
 * the password either as the prototype's bcrypt hash (verified and upgraded at the next login,
 * docs/decisions/0017-accounts-password-hashing.md) or, for a password the prototype kept in
 * clear text, no usable password at all ({@link #RESET_REQUIRED}).
 */
public final class AccountImport {

    /**
     * The stored "hash" of an account that must reset its password: no encoder reads it, so it
     * matches no password, and login answers {@code password_reset_required} for it.
     */
    public static final String RESET_REQUIRED = "{reset-required}";
    /** A bcrypt hash as the prototype (Python's bcrypt: $2b$) and other bcrypt libraries ($2a$, $2y$) write it. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    /** Django's {@code BCryptPasswordHasher} stores a plain bcrypt hash behind this prefix. */
    private static final String DJANGO_BCRYPT = "bcrypt$";

    private final UserStore users;

    public AccountImport(UserStore users) {
        this.users = Objects.requireNonNull(users);
    }

    /** An account as the prototype's {@code users} table held it, as read (nothing checked yet). */
    public record PrototypeAccount(String prototypeUserId, String username, String email, String password,
            String userType, String specialization, Integer childrenCount, Instant createdAt) {

        @Override
        public String toString() {
            return "PrototypeAccount[" + prototypeUserId + "]"; // never the email or password
        }
    }

    /** What became of one account. */
    public enum Outcome {
        /** Stored now, with its bcrypt hash. */
        CREATED,
        /** Stored now without a usable password: its prototype password was clear text (or absent). */
        CREATED_RESET_REQUIRED,
        /** Stored by an earlier run (same id): left as it is. */
        ALREADY_THERE
    }

    /** The outcome, the account's ChatApp id and its type. */
    public record Imported(String userId, UserType userType, Outcome outcome) {
    }

    /**
     * The ChatApp id of a prototype account: 128 bits of SHA-256 over the prototype's id, as 22
     * URL-safe characters. Deterministic, so that a second run, or one resumed after a kill, finds
     * what the first stored, and messages map to the same accounts.
     */
    public static String userId(String prototypeUserId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("prototype-user\0" + prototypeUserId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Whether {@code password} as stored by the prototype is a bcrypt hash (else it is clear
     * text). Django's {@code bcrypt$} prefix is taken off first by {@link #bringOver}.
     */
    public static boolean isBcrypt(String password) {
        return password != null && BCRYPT.matcher(password).matches();
    }

    /**
     * Stores the account unless an earlier run did. Usernames and emails are held to sign-up's
     * rules, not repaired: a repair could make two accounts collide or hand one person's name to
     * another (the operator fixes the row and runs again). The email is normalised as at sign-up
     * (trimmed, lower-cased). Therapists keep their specialization, parents their children count.
     *
     * @throws ChatAppException {@code validation_failed} naming every field that breaks a rule;
     *     {@code email_taken} or {@code username_taken} (409) if another ChatApp account holds it
     */
    public Imported bringOver(PrototypeAccount a) {
        String userId = userId(a.prototypeUserId());
        Optional<User> earlier = users.findById(userId);
        if (earlier.isPresent()) {
            return new Imported(userId, earlier.get().userType(), Outcome.ALREADY_THERE);
        }
        List<FieldError> errors = new ArrayList<>();
        String email = AccountRules.unicode("email", a.email(), errors) ? Emails.normalise(a.email()) : null;
        if (AccountRules.unicode("username", a.username(), errors)) {
            AccountRules.username(a.username(), errors);
        }
        if (email != null || errors.stream().noneMatch(e -> e.field().equals("email"))) {
            AccountRules.email(email, errors);
        }
        UserType type = UserType.fromWire(a.userType());
        if (type == null) {
            errors.add(new FieldError("userType", "must be 'parent' or 'therapist'"));
        }
        if (AccountRules.unicode("specialization", a.specialization(), errors)) {
            AccountRules.specialization(type, type == UserType.PARENT && a.specialization() != null
                    && a.specialization().isBlank() ? null : a.specialization(), errors);
        }
        AccountRules.childrenCount(type, type == UserType.THERAPIST ? null : a.childrenCount(), errors);
        if (!errors.isEmpty()) {
            throw ChatAppException.invalid(errors);
        }
        String password = a.password() != null && a.password().startsWith(DJANGO_BCRYPT)
                ? a.password().substring(DJANGO_BCRYPT.length()) : a.password();
        boolean bcrypt = isBcrypt(password);
        User user = new User(userId, a.username(), email, bcrypt ? password : RESET_REQUIRED, type,
                type == UserType.THERAPIST ? a.specialization().strip() : null,
                type == UserType.PARENT ? (a.childrenCount() == null ? 0 : a.childrenCount()) : null,
                a.createdAt().truncatedTo(ChronoUnit.MILLIS));
        try {
            users.create(user);
        } catch (ChatAppException e) {
            if ((e.code() == ErrorCode.EMAIL_TAKEN || e.code() == ErrorCode.USERNAME_TAKEN)
                    && users.findById(userId).isPresent()) {
                return new Imported(userId, type, Outcome.ALREADY_THERE); // a concurrent run stored it
            }
            throw e;
        }
        return new Imported(userId, type, bcrypt ? Outcome.CREATED : Outcome.CREATED_RESET_REQUIRED);
    }

    /** The field errors of a refusal as one line, e.g. {@code username: must be 3 to 32 ...; email: ...}. */
    public static String describe(ChatAppException e) {
        return e.fieldErrors().isEmpty() ? e.detail()
                : e.fieldErrors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
    }
}
