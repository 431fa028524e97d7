package chatapp.aws;

import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.account.UserType;
import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link UserStore} on DynamoDB: accounts in {@link Tables#USERS} by {@code userId}; unique email
 * and username by guard items in {@link Tables#AUTH} ({@code email#<email>},
 * {@code username#<key>}, each naming its {@code userId}) written in the same
 * TransactWriteItems as the account, each on condition that it does not exist. Login reads the
 * email guard by key, then the account by key. The directory reads the GSI {@code by-user-type}
 * (userType, usernameKey) and, by specialization, term items in {@link Tables#AUTH}
 * ({@code dir#<type>#<prefix>}, sort key the username key) written with the account.
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
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(guard(emailGuard(u.email()), u.userId()))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(guard(usernameGuard(u.usernameKey()), u.userId()))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(users).item(item(u))
                        .conditionExpression("attribute_not_exists(userId)")).build()));
        for (String term : u.specializationTerms()) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(auth).item(termItem(u, term))).build());
        }
        transact(dynamo, writes, List.of(ErrorCode.EMAIL_TAKEN, ErrorCode.USERNAME_TAKEN, ErrorCode.CONFLICT));
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
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":username", s(u.username()), ":usernameKey", s(u.usernameKey()), ":hash", s(u.passwordHash()),
                ":oldKey", s(current.usernameKey()), ":oldHash", s(current.passwordHash())));
        StringBuilder set = new StringBuilder("SET username = :username, usernameKey = :usernameKey, passwordHash = :hash");
        List<String> remove = new ArrayList<>();
        if (u.specialization() != null) {
            set.append(", specialization = :spec");
            values.put(":spec", s(u.specialization()));
        } else {
            remove.add(SPECIALIZATION);
        }
        if (u.childrenCount() != null) {
            set.append(", childrenCount = :children");
            values.put(":children", n(u.childrenCount()));
        } else {
            remove.add(CHILDREN_COUNT);
        }
        String expression = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        writes.add(TransactWriteItem.builder().update(b -> b.tableName(users).key(Map.of(USER_ID, s(u.userId())))
                .updateExpression(expression)
                .conditionExpression("usernameKey = :oldKey AND passwordHash = :oldHash")
                .expressionAttributeValues(values)).build());
        codes.add(ErrorCode.CONFLICT);
        if (!u.usernameKey().equals(current.usernameKey())) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(auth).item(guard(usernameGuard(u.usernameKey()), u.userId()))
                    .conditionExpression("attribute_not_exists(pk)")).build());
            codes.add(ErrorCode.USERNAME_TAKEN);
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(auth).key(guardKey(usernameGuard(current.usernameKey())))
                    .conditionExpression("userId = :me").expressionAttributeValues(Map.of(":me", s(u.userId())))).build());
            codes.add(ErrorCode.CONFLICT);
        }
        // DynamoDB refuses two writes to one item in a transaction: with the same username, a
        // term both before and after is the same item and stays; only the difference moves.
        boolean sameKey = u.usernameKey().equals(current.usernameKey());
        List<String> before = current.specializationTerms();
        List<String> after = u.specializationTerms();
        for (String term : before) {
            if (!sameKey || !after.contains(term)) {
                writes.add(TransactWriteItem.builder().delete(d -> d.tableName(auth)
                        .key(termKey(current.userType(), term, current.usernameKey()))).build());
            }
        }
        for (String term : after) {
            if (!sameKey || !before.contains(term)) {
                writes.add(TransactWriteItem.builder().put(p -> p.tableName(auth).item(termItem(u, term))).build());
            }
        }
        transact(dynamo, writes, codes);
    }

    @Override
    public List<User> byUsername(UserType type, String prefix, String afterUsernameKey, int limit) {
        boolean fromPosition = afterUsernameKey != null && afterUsernameKey.compareTo(prefix) >= 0;
        String low = fromPosition ? afterUsernameKey : prefix;
        String high = prefix + Character.MAX_VALUE;
        if (low.compareTo(high) > 0) {
            return List.of(); // the position lies past every username with this prefix
        }
        List<User> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            var page = dynamo.query(b -> b.tableName(users).indexName(BY_USER_TYPE)
                    .keyConditionExpression("userType = :t AND usernameKey BETWEEN :low AND :high")
                    .expressionAttributeValues(Map.of(":t", s(type.wire()), ":low", s(low), ":high", s(high)))
                    .limit(limit + 1).exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : page.items()) {
                User u = user(item);
                if (fromPosition && u.usernameKey().equals(afterUsernameKey)) {
                    continue; // BETWEEN includes its low end; the position itself was on the last page
                }
                found.add(u);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (found.size() < limit && start != null);
        return found.size() > limit ? found.subList(0, limit) : found;
    }

    @Override
    public List<User> bySpecializationTerm(UserType type, String term, String afterUsernameKey, int limit) {
        var page = dynamo.query(b -> {
            b.tableName(auth).limit(limit).consistentRead(true);
            if (afterUsernameKey == null) {
                b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(termPk(type, term))));
            } else {
                b.keyConditionExpression("pk = :pk AND sk > :after")
                        .expressionAttributeValues(Map.of(":pk", s(termPk(type, term)), ":after", s(afterUsernameKey)));
            }
        });
        List<String> ids = page.items().stream().map(i -> i.get(USER_ID).s()).toList();
        Map<String, User> byId = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().map(id -> Map.of(USER_ID, s(id))).toList();
        Map<String, KeysAndAttributes> request = keys.isEmpty() ? Map.of()
                : Map.of(users, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> ask = request;
            var got = dynamo.batchGetItem(b -> b.requestItems(ask));
            for (Map<String, AttributeValue> item : got.responses().getOrDefault(users, List.of())) {
                User u = user(item);
                byId.put(u.userId(), u);
            }
            request = got.hasUnprocessedKeys() ? got.unprocessedKeys() : Map.of();
        }
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    static final String BY_USER_TYPE = "by-user-type";

    static String termPk(UserType type, String term) {
        return "dir#" + type.wire() + "#" + term;
    }

    static Map<String, AttributeValue> termKey(UserType type, String term, String usernameKey) {
        return Map.of(PK, s(termPk(type, term)), SK, s(usernameKey));
    }

    static Map<String, AttributeValue> termItem(User u, String term) {
        return Map.of(PK, s(termPk(u.userType(), term)), SK, s(u.usernameKey()), USER_ID, s(u.userId()));
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
