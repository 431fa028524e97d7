package chatapp.aws;

import chatapp.account.Profile;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link UserStore} on DynamoDB: accounts in {@link Users}; unique email and username by guard
 * items in {@link AuthItems}, written in the same TransactWriteItems as the account, each on
 * condition that it does not exist (this class is where that invariant lives). Login reads the
 * email guard by key, then the account by key. The directory reads {@link Users#byUsername}
 * and, by specialization, the term items of {@link AuthItems} written with the account.
 */
public final class DynamoUserStore implements UserStore {

    private final DynamoDbClient dynamo;
    private final Users users;
    private final AuthItems auth;

    public DynamoUserStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.users = new Users(dynamo, settings);
        this.auth = new AuthItems(dynamo, settings);
    }

    @Override
    public Optional<User> findById(String userId) {
        return users.find(userId);
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return auth.emailHolder(email).flatMap(users::find);
    }

    @Override
    public boolean emailVerified(String userId) {
        return users.emailVerified(userId);
    }

    @Override
    public void markEmailVerified(String userId) {
        users.markEmailVerified(userId);
    }

    @Override
    public void create(User u) {
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                auth.claimEmail(u.email(), u.userId()),
                auth.claimUsername(u.usernameKey(), u.userId()),
                users.putNew(u)));
        for (String term : u.specializationTerms()) {
            writes.add(auth.putTerm(u, term));
        }
        transact(writes, List.of(ErrorCode.EMAIL_TAKEN, ErrorCode.USERNAME_TAKEN, ErrorCode.CONFLICT));
    }

    /**
     * One transaction: the account (on condition that its username key and hash are still
     * {@code current}'s), the username guards when the username changes (the old one released
     * only if it is ours, the new one taken only if free) and the directory terms when the
     * username or specialization changes. At most 4 + 2 x {@link User#MAX_TERM} items, within
     * DynamoDB's 100.
     */
    @Override
    public void update(User current, User u) {
        List<TransactWriteItem> writes = new ArrayList<>();
        List<ErrorCode> codes = new ArrayList<>();
        writes.add(users.updateIfUnchanged(current, u));
        codes.add(ErrorCode.CONFLICT);
        boolean sameKey = u.usernameKey().equals(current.usernameKey());
        if (!sameKey) {
            writes.add(auth.claimUsername(u.usernameKey(), u.userId()));
            codes.add(ErrorCode.USERNAME_TAKEN);
            writes.add(auth.releaseUsername(current.usernameKey(), u.userId()));
            codes.add(ErrorCode.CONFLICT);
        }
        // DynamoDB refuses two writes to one item in a transaction: with the same username, a
        // term both before and after is the same item and stays; only the difference moves.
        List<String> before = current.specializationTerms();
        List<String> after = u.specializationTerms();
        for (String term : before) {
            if (!sameKey || !after.contains(term)) {
                writes.add(auth.deleteTerm(current.userType(), term, current.usernameKey()));
            }
        }
        for (String term : after) {
            if (!sameKey || !before.contains(term)) {
                writes.add(auth.putTerm(u, term));
            }
        }
        transact(writes, codes);
    }

    /**
     * One transaction: the account (on condition that it exists), its email and username guards
     * (each on condition that this account holds it) and its directory terms. A second deletion
     * finds the account gone and changes nothing.
     */
    @Override
    public boolean delete(User u) {
        User stored = users.find(u.userId()).orElse(null);
        if (stored == null) {
            return false;
        }
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                users.deleteExisting(stored.userId()),
                auth.releaseEmail(stored.email(), stored.userId()),
                auth.releaseUsername(stored.usernameKey(), stored.userId())));
        for (String term : stored.specializationTerms()) {
            writes.add(auth.deleteTerm(stored.userType(), term, stored.usernameKey()));
        }
        try {
            transact(writes, List.of(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.CONFLICT));
            return true;
        } catch (ChatAppException e) {
            if (users.find(u.userId()).isEmpty()) {
                return false; // a concurrent deletion won
            }
            throw e;
        }
    }

    @Override
    public List<User> byUsername(UserType type, String prefix, String afterUsernameKey, int limit) {
        return users.byUsername(type, prefix, afterUsernameKey, limit);
    }

    @Override
    public List<User> bySpecializationTerm(UserType type, String term, String afterUsernameKey, int limit) {
        return users.findAll(auth.termHolders(type, term, afterUsernameKey, limit));
    }

    /** Profile attributes of the accounts' items ({@link Users#profiles}): BatchGetItem, by key. */
    @Override
    public Map<String, Profile> profiles(Collection<String> userIds) {
        return users.profiles(userIds);
    }

    /** One conditional UpdateItem of the account's item; a failed condition is told apart by a read. */
    @Override
    public boolean replaceProfile(String userId, Profile expected, Profile updated) {
        if (users.replaceProfile(userId, expected, updated)) {
            return true;
        }
        if (users.find(userId).isEmpty()) {
            throw ChatAppException.notFound("no such user");
        }
        return false;
    }

    /**
     * Runs one TransactWriteItems. A write whose condition failed becomes the contract's 409
     * named by its position in {@code codes}; a transient cancellation is run again
     * ({@link RetryPolicy}).
     */
    private void transact(List<TransactWriteItem> writes, List<ErrorCode> codes) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                ChatAppException refusal = refusal(e, codes);
                if (refusal != null) {
                    throw refusal;
                }
                if (!RetryPolicy.isTransient(e)) {
                    throw e;
                }
                RetryPolicy.DEFAULT.pause(attempt, e);
            }
        }
    }

    /** The contract's 409 for the first write whose condition failed, by position; null if none failed. */
    private static ChatAppException refusal(TransactionCanceledException e, List<ErrorCode> codes) {
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size() && i < codes.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                return switch (codes.get(i)) {
                    case EMAIL_TAKEN -> new ChatAppException(ErrorCode.EMAIL_TAKEN, "an account with this email exists");
                    case USERNAME_TAKEN -> new ChatAppException(ErrorCode.USERNAME_TAKEN, "this username is taken");
                    default -> new ChatAppException(codes.get(i), "the account changed meanwhile; try again");
                };
            }
        }
        return null;
    }
}
