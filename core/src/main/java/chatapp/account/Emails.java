package chatapp.account;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses as accounts use them: checked loosely, stored normalised. */
public final class Emails {

    /** RFC 5321 limits a forward path to 256 octets, i.e. an address to 254 characters. */
    public static final int MAX_LENGTH = 254;
    // One @, something on each side, a dot in the domain, no spaces or control characters.
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+$");

    private Emails() {
    }

    /** Trimmed and lower-cased: the form that is stored, compared and looked up by key. */
    public static String normalise(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether a normalised address has the shape of an email and fits {@link #MAX_LENGTH}. */
    public static boolean valid(String normalised) {
        return normalised != null && normalised.length() <= MAX_LENGTH && SHAPE.matcher(normalised).matches();
    }
}
