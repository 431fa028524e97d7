package chatapp.account;

import java.util.Optional;

/**
 * Port: where accounts live ({@code users} table/store). Two adapters, SQLite and DynamoDB,
 * both proven by {@code UserStoreContract}. Every read is by key or by an index range, never
 * a scan (ARCHITECTURE.md).
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
}
