package chatapp.account;

import java.time.Instant;
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

    @Override
    public String toString() {
        return "User[userId=" + userId + ", username=" + username + ", userType=" + userType + "]"; // no email, no hash
    }
}
