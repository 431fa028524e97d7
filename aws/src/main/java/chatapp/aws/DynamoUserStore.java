package chatapp.aws;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link UserStore} on DynamoDB: accounts in {@link Tables#USERS} by {@code userId}; unique email
 * and username by guard items in {@link Tables#AUTH} ({@code email#<email>},
 * {@code username#<key>}, each naming its {@code userId}) written in the same
 * TransactWriteItems as the account, each on condition that it does not exist. Login reads the
 * email guard by key, then the account by key.
 */
public final class DynamoUserStore implements UserStore {

    static final String USER_ID = "userId";
    static final String USERNAME = "username";
    static final String USERNAME_KEY = "usernameKey";
    static final String EMAIL = "email";
    static final String PASSWORD_HASH = "passwordHash";
    static final String USER_TYPE = "userType";
    static final String SPECIALIZATION = "specialization";
    static final String CHILDREN_COUNT = "childrenCount";
    static final String CREATED_AT = "createdAt";
    static final String PK = "pk";
    static final String SK = "sk";
    static final String GUARD = "guard";

    private final DynamoDbClient dynamo;
    private final String users;
    private final String auth;

    public DynamoUserStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.users = settings.tableName(Tables.USERS.name());
        this.auth = settings.tableName(Tables.AUTH.name());
    }

    @Override
    public Optional<User> findById(String userId) {
        var item = dynamo.getItem(b -> b.tableName(users).key(Map.of(USER_ID, s(userId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(user(item));
    }

    @Override
    public Optional<User> findByEmail(String email) {
        var guard = dynamo.getItem(b -> b.tableName(auth).key(guardKey(emailGuard(email))).consistentRead(true)).item();
        if (guard == null || guard.isEmpty()) {
            return Optional.empty();
        }
        return findById(guard.get(USER_ID).s());
    }

    @Override
    public void create(User u) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(guard(emailGuard(u.email()), u.userId()))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(guard(usernameGuard(u.usernameKey()), u.userId()))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(users).item(item(u))
                        .conditionExpression("attribute_not_exists(userId)")).build());
        transact(dynamo, writes, List.of(ErrorCode.EMAIL_TAKEN, ErrorCode.USERNAME_TAKEN, ErrorCode.CONFLICT));
    }

    /**
     * Runs one TransactWriteItems. A write whose condition failed becomes the contract's 409
     * named by its position in {@code codes}. A transaction cancelled only because another one
     * touched the same items at the same moment ({@code TransactionConflict}, which DynamoDB
     * does not retry by itself) is run again, a few times.
     */
    static void transact(DynamoDbClient dynamo, List<TransactWriteItem> writes, List<ErrorCode> codes) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                RuntimeException refusal = conflict(e, codes);
                boolean raced = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (refusal != e || !raced || attempt == 4) {
                    throw refusal;
                }
                try {
                    Thread.sleep(10L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The contract's 409 for the first write whose condition failed, by position in the
     * transaction; rethrows {@code e} if no condition failed (throttling, a conflict with
     * another transaction: the caller may retry).
     */
    static RuntimeException conflict(TransactionCanceledException e, List<ErrorCode> codes) {
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
        return e;
    }

    static String emailGuard(String email) {
        return "email#" + email;
    }

    static String usernameGuard(String usernameKey) {
        return "username#" + usernameKey;
    }

    static Map<String, AttributeValue> guardKey(String pk) {
        return Map.of(PK, s(pk), SK, s(GUARD));
    }

    static Map<String, AttributeValue> guard(String pk, String userId) {
        return Map.of(PK, s(pk), SK, s(GUARD), USER_ID, s(userId));
    }

    static Map<String, AttributeValue> item(User u) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USER_ID, s(u.userId()));
        item.put(USERNAME, s(u.username()));
        item.put(USERNAME_KEY, s(u.usernameKey()));
        item.put(EMAIL, s(u.email()));
        item.put(PASSWORD_HASH, s(u.passwordHash()));
        item.put(USER_TYPE, s(u.userType().wire()));
        if (u.specialization() != null) {
            item.put(SPECIALIZATION, s(u.specialization()));
        }
        if (u.childrenCount() != null) {
            item.put(CHILDREN_COUNT, n(u.childrenCount()));
        }
        item.put(CREATED_AT, n(u.createdAt().toEpochMilli()));
        return item;
    }

    static User user(Map<String, AttributeValue> item) {
        AttributeValue spec = item.get(SPECIALIZATION);
        AttributeValue children = item.get(CHILDREN_COUNT);
        return new User(item.get(USER_ID).s(), item.get(USERNAME).s(), item.get(EMAIL).s(), item.get(PASSWORD_HASH).s(),
                UserType.fromWire(item.get(USER_TYPE).s()), spec == null ? null : spec.s(),
                children == null ? null : Integer.valueOf(children.n()),
                Instant.ofEpochMilli(Long.parseLong(item.get(CREATED_AT).n())));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
