package chatapp.account;

import chatapp.core.FieldError;
import chatapp.core.TextRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The input rules of issue 12 ("Behaviour"), each violation a field error. */
final class AccountRules {

    static final int PASSWORD_MIN = 12;
    static final int PASSWORD_MAX = 128;
    static final int SPECIALIZATION_MAX = 64;
    static final int CHILDREN_MAX = 20;
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._-]{3,32}$");
    private static final Set<String> COMMON_PASSWORDS = load("common-passwords.txt");

    private AccountRules() {
    }

    /**
     * Whether {@code value} (null passes) is valid Unicode; if not, adds an error for {@code field}
     * and the field's other rules are skipped. An unpaired surrogate cannot be stored as UTF-8
     * and makes password hashing throw.
     */
    static boolean unicode(String field, String value, List<FieldError> errors) {
        if (value != null && TextRules.hasLoneSurrogate(value)) {
            errors.add(new FieldError(field, "is not valid Unicode (unpaired surrogate)"));
            return false;
        }
        return true;
    }

    static void username(String username, List<FieldError> errors) {
        if (username == null || username.isEmpty()) {
            errors.add(new FieldError("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("username", "must be 3 to 32 ASCII letters, digits, '.', '_' or '-'"));
        }
    }

    static void email(String normalised, List<FieldError> errors) {
        if (normalised == null || normalised.isEmpty()) {
            errors.add(new FieldError("email", "is required"));
        } else if (normalised.length() > Emails.MAX_LENGTH) {
            errors.add(new FieldError("email", "must be at most " + Emails.MAX_LENGTH + " characters"));
        } else if (!Emails.valid(normalised)) {
            errors.add(new FieldError("email", "is not a valid email address"));
        }
    }

    /** The password policy; {@code username} and {@code email} may be null when unknown. */
    static void password(String field, String password, String username, String email, List<FieldError> errors) {
        if (password == null || password.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
            return;
        }
        int length = password.codePointCount(0, password.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            errors.add(new FieldError(field, "must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters"));
            return;
        }
        int control = TextRules.firstControl(password, false);
        if (control >= 0) {
            // NUL, ESC, a line break: no keyboard types them, and some clients and hashes cut at NUL
            errors.add(new FieldError(field, "must not contain control characters (found "
                    + TextRules.describe(control) + ")"));
            return;
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON_PASSWORDS.contains(lower)) {
            errors.add(new FieldError(field, "is too common; choose another"));
        } else if ((username != null && lower.equals(username.toLowerCase(Locale.ROOT)))
                || (email != null && lower.equals(email.toLowerCase(Locale.ROOT)))) {
            errors.add(new FieldError(field, "must not be your username or email"));
        }
    }

    static void specialization(UserType type, String specialization, List<FieldError> errors) {
        if (type == UserType.THERAPIST) {
            if (specialization == null || TextRules.isBlank(specialization)) {
                errors.add(new FieldError("specialization", "is required for therapists (spaces and invisible "
                        + "characters alone do not count)"));
            } else if (specialization.strip().length() > SPECIALIZATION_MAX) {
                errors.add(new FieldError("specialization", "must be at most " + SPECIALIZATION_MAX + " characters"));
            } else if (specialization.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FieldError("specialization", "must not contain control characters"));
            }
        } else if (type == UserType.PARENT && specialization != null) {
            errors.add(new FieldError("specialization", "is only for therapists"));
        }
    }

    static void childrenCount(UserType type, Integer childrenCount, List<FieldError> errors) {
        if (type == UserType.PARENT) {
            if (childrenCount != null && (childrenCount < 0 || childrenCount > CHILDREN_MAX)) {
                errors.add(new FieldError("childrenCount", "must be between 0 and " + CHILDREN_MAX));
            }
        } else if (type == UserType.THERAPIST && childrenCount != null) {
            errors.add(new FieldError("childrenCount", "is only for parents"));
        }
    }

    private static Set<String> load(String resource) {
        InputStream in = AccountRules.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing resource chatapp/account/" + resource);
        }
        Set<String> words = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
