package chatapp.account;

import java.util.Optional;

/**
 * Port: where accounts live ({@code users} table/store). Two adapters, SQLite and DynamoDB,
 * both proven by {@code UserStoreContract}.
 */
public interface UserStore {

    /** The account with this id, read by key. */
    Optional<User> findById(String userId);
}
