package chatapp.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An account as stored. {@code email} is normalised (trimmed, lower-cased); {@code passwordHash}
 * is an encoded hash with its algorithm prefix and never leaves the server. The public view
 * (API.md) shows neither.
 *
 * @param specialization therapists only, else null
 * @param childrenCount parents only (0..20), else null
 */
public record User(String userId, String username, String email, String passwordHash, UserType userType,
        String specialization, Integer childrenCount, Instant createdAt) {

    /** The username lower-cased: what uniqueness and the directory's order go by. */
    public String usernameKey() {
        return username.toLowerCase(Locale.ROOT);
    }

    /**
     * The longest specialization prefix the directory indexes; a longer query reads the range of
     * its first {@value} characters and is filtered (the range is still one index range).
     */
    public static final int MAX_TERM = 24;

    /**
     * The directory's search terms for a therapist: every prefix (1 to {@link #MAX_TERM}
     * characters) of the lower-cased specialization. Empty without a specialization.
     */
    public List<String> specializationTerms() {
        if (specialization == null || specialization.isBlank()) {
            return List.of();
        }
        String key = specialization.strip().toLowerCase(Locale.ROOT);
        List<String> terms = new ArrayList<>();
        int codePoints = Math.min(MAX_TERM, key.codePointCount(0, key.length()));
        for (int i = 1; i <= codePoints; i++) {
            terms.add(key.substring(0, key.offsetByCodePoints(0, i)));
        }
        return terms;
    }

    @Override
    public String toString() {
        return "User[userId=" + userId + ", username=" + username + ", userType=" + userType + "]"; // no email, no hash
    }
}
