package chatapp.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The directory's query plan (issue 12): accounts whose username or specialization starts
 * with a prefix, ordered by username, from two index ranges that are each ordered by username.
 * Each range gives at most {@code n} entries after the position, so the first {@code n} of
 * their union are exact and the cost grows with the page, not with the table.
 */
final class Directory {

    private Directory() {
    }

    /** Up to {@code n} accounts after {@code after} (a username key, or null), by username key. */
    static List<User> merge(UserStore users, UserType type, String prefix, String after, int n) {
        TreeMap<String, User> byKey = new TreeMap<>();
        for (User u : users.byUsername(type, prefix, after, n)) {
            byKey.put(u.usernameKey(), u);
        }
        if (!prefix.isEmpty()) {
            for (User u : bySpecialization(users, type, prefix, after, n)) {
                byKey.put(u.usernameKey(), u);
            }
        }
        List<User> merged = new ArrayList<>(byKey.values());
        return merged.size() > n ? merged.subList(0, n) : merged;
    }

    /**
     * Accounts whose specialization starts with {@code prefix}. Terms are indexed up to
     * {@link User#MAX_TERM} characters; a longer prefix walks the range of its first
     * {@code MAX_TERM} characters and keeps those that match in full.
     */
    private static List<User> bySpecialization(UserStore users, UserType type, String prefix, String after, int n) {
        int length = prefix.codePointCount(0, prefix.length());
        if (length <= User.MAX_TERM) {
            return users.bySpecializationTerm(type, prefix, after, n);
        }
        String term = prefix.substring(0, prefix.offsetByCodePoints(0, User.MAX_TERM));
        List<User> found = new ArrayList<>();
        String position = after;
        while (found.size() < n) {
            List<User> batch = users.bySpecializationTerm(type, term, position, n);
            for (User u : batch) {
                if (u.specialization() != null && u.specialization().strip().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    found.add(u);
                }
            }
            if (batch.size() < n) {
                break;
            }
            position = batch.getLast().usernameKey();
        }
        return found.size() > n ? found.subList(0, n) : found;
    }
}
