package chatapp.account;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: where accounts live ({@code users} table/store). Two adapters, SQLite and DynamoDB,
 * both proven by {@code UserStoreContract}. Every read is by key or by an index range, never
 * a scan (docs/architecture.md, "Data").
 */
public interface UserStore {

    /** The account with this id, read by key. */
    Optional<User> findById(String userId);

    /** The account with this normalised email (see {@link Emails#normalise}), read by key. */
    Optional<User> findByEmail(String email);

    /**
     * Stores a new account. Email and username (case-insensitively) are unique under
     * concurrency: the store's own unique index or conditional write decides, never a read
     * before the write.
     *
     * @throws chatapp.core.ChatAppException {@code email_taken} or {@code username_taken} (409)
     *     if another account holds either; email is checked first when both clash
     */
    void create(User user);

    /**
     * Replaces the changeable fields of an account (username, specialization, childrenCount,
     * passwordHash) by those of {@code updated}, provided the stored account still has
     * {@code current}'s username and password hash (else someone changed it meanwhile). Keeps
     * the username unique and the directory terms in step, in the same atomic write.
     *
     * @throws chatapp.core.ChatAppException {@code username_taken} (409); {@code conflict}
     *     (409) if the account changed meanwhile
     */
    void update(User current, User updated);

    /**
     * Directory range by username: up to {@code limit} accounts of {@code type} whose
     * username key starts with {@code prefix} ("" for all) and sorts after
     * {@code afterUsernameKey} (null: from the start), ordered by username key. One index
     * range (SQLite {@code (user_type, username_key)}; DynamoDB GSI {@code by-user-type}).
     */
    List<User> byUsername(UserType type, String prefix, String afterUsernameKey, int limit);

    /**
     * Directory range by specialization: up to {@code limit} accounts of {@code type} that have
     * {@code term} (one of {@link User#specializationTerms()}) and whose username key sorts
     * after {@code afterUsernameKey} (null: from the start), ordered by username key. One index
     * range on the directory terms.
     */
    List<User> bySpecializationTerm(UserType type, String term, String afterUsernameKey, int limit);

    /**
     * Deletes the account (docs/audit.md, "Deletion"): its row, its email and username guards
     * (both become free for a new account) and its directory terms, in one atomic write, so
     * that {@link #findById}, {@link #findByEmail} and the directory no longer find it.
     * Idempotent: deleting an account that is gone changes nothing.
     *
     * @return whether this call deleted it (false: it was gone already, e.g. a concurrent deletion)
     */
    boolean delete(User user);

    /**
     * Whether the account's email address is verified (issue 20, docs/security.md "Email
     * verification"): false for an unknown account and for every account from before
     * verification existed. Read by key.
     */
    boolean emailVerified(String userId);

    /**
     * Marks the account's email address verified. Idempotent; an unknown account changes
     * nothing. The mark stays while the account does (its address cannot change, API.md).
     */
    void markEmailVerified(String userId);

    /**
     * The profiles of these accounts (issue 21), by user id: one batch of reads by key (SQLite one
     * {@code IN} query; DynamoDB BatchGetItem), so a page of the directory or the inbox costs one
     * more read, not one per item. Accounts that are gone or whose profile is empty are left out.
     */
    Map<String, Profile> profiles(Collection<String> userIds);

    /**
     * Replaces the profile of {@code userId} by {@code updated} provided the stored one still equals
     * {@code expected} (compare-and-set, one atomic write; {@link Profile#EMPTY} matches an account
     * that never had one). Deleting the account ({@link #delete}) deletes its profile with it.
     *
     * @return false if the stored profile differs from {@code expected} (changed meanwhile)
     * @throws chatapp.core.ChatAppException {@code not_found} if there is no such account
     */
    boolean replaceProfile(String userId, Profile expected, Profile updated);

    /**
     * The name people see for the account (issue 21): its display name when it has one, else its
     * username; empty if there is no such account. Two reads by key at most.
     */
    default java.util.Optional<String> nameToShow(String userId) {
        Profile profile = profiles(java.util.List.of(userId)).get(userId);
        if (profile != null && profile.displayName() != null) {
            return java.util.Optional.of(profile.displayName());
        }
        return findById(userId).map(User::username);
    }
}
