package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.account.Profile;
import chatapp.account.User;
import chatapp.account.UserType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The accounts, table {@link Tables#USERS}: one item per user keyed by {@code userId}, listed by
 * (userType, usernameKey) through the GSI {@code by-user-type}. Owns the item's attributes; the
 * uniqueness of email and username is kept by {@link DynamoUserStore} with guards in the auth
 * table.
 */
final class Users {

    static final String USER_ID = "userId";
    static final String USERNAME = "username";
    static final String USERNAME_KEY = "usernameKey";
    static final String EMAIL = "email";
    static final String PASSWORD_HASH = "passwordHash";
    static final String USER_TYPE = "userType";
    static final String SPECIALIZATION = "specialization";
    static final String CHILDREN_COUNT = "childrenCount";
    static final String CREATED_AT = "createdAt";
    /** true once the address is verified (issue 20); absent on accounts from before: unverified. */
    static final String EMAIL_VERIFIED = "emailVerified";
    /** Profile attributes (issue 21), each absent when unset; deleting the item deletes them. */
    static final String DISPLAY_NAME = "displayName";
    static final String AVATAR_MEDIA_ID = "avatarMediaId";
    static final String BIO = "bio";
    static final String CREDENTIALS = "credentials";
    static final String PRACTICE = "practice";
    private static final List<String> PROFILE = List.of(DISPLAY_NAME, AVATAR_MEDIA_ID, BIO, CREDENTIALS, PRACTICE);
    static final String BY_USER_TYPE = Tables.USERS.indexes().getFirst().name();

    private final DynamoDbClient dynamo;
    private final String table;

    Users(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.USERS.name());
    }

    Optional<User> find(String userId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(userId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(user(item));
    }

    /** Whether the account's address is verified; false for an unknown account. */
    boolean emailVerified(String userId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(userId)).consistentRead(true)
                .projectionExpression("#v").expressionAttributeNames(Map.of("#v", EMAIL_VERIFIED))).item();
        AttributeValue v = item == null ? null : item.get(EMAIL_VERIFIED);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    /** Marks the address verified, if the account exists (else nothing changes). */
    void markEmailVerified(String userId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(userId))
                    .updateExpression("SET #v = :t")
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#v", EMAIL_VERIFIED, "#id", USER_ID))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.builder().bool(true).build())));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            // no such account: nothing to mark
        }
    }

    /** The users with these ids, in this order; ids without an account are left out. */
    List<User> findAll(List<String> ids) {
        Map<String, User> byId = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().distinct().map(Users::key).toList();
        // BatchGetItem takes at most 100 keys.
        for (int i = 0; i < keys.size(); i += 100) {
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> ask = request;
                var got = dynamo.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : got.responses().getOrDefault(table, List.of())) {
                    User u = user(item);
                    byId.put(u.userId(), u);
                }
                request = got.hasUnprocessedKeys() ? got.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    RetryPolicy.DEFAULT.pause(attempt, null);
                }
            }
        }
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /**
     * Users of {@code type} whose username key starts with {@code prefix}, in key order, after
     * {@code afterUsernameKey} if given; at most {@code limit}.
     */
    List<User> byUsername(UserType type, String prefix, String afterUsernameKey, int limit) {
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
            var page = dynamo.query(b -> b.tableName(table).indexName(BY_USER_TYPE)
                    .keyConditionExpression("#t = :t AND #k BETWEEN :low AND :high")
                    .expressionAttributeNames(Map.of("#t", USER_TYPE, "#k", USERNAME_KEY))
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

    /** A transaction's put of a new account, on condition that the id is free. */
    TransactWriteItem putNew(User u) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(u))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", USER_ID))).build();
    }

    /**
     * A transaction's update of {@code current} to {@code u} (username, hash, specialization,
     * children), on condition that its username key and hash are still {@code current}'s.
     */
    TransactWriteItem updateIfUnchanged(User current, User u) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":username", s(u.username()), ":usernameKey", s(u.usernameKey()), ":hash", s(u.passwordHash()),
                ":oldKey", s(current.usernameKey()), ":oldHash", s(current.passwordHash())));
        Map<String, String> names = new HashMap<>(Map.of("#n", USERNAME, "#k", USERNAME_KEY, "#h", PASSWORD_HASH));
        StringBuilder set = new StringBuilder("SET #n = :username, #k = :usernameKey, #h = :hash");
        List<String> remove = new ArrayList<>();
        names.put("#s", SPECIALIZATION);
        if (u.specialization() != null) {
            set.append(", #s = :spec");
            values.put(":spec", s(u.specialization()));
        } else {
            remove.add("#s");
        }
        names.put("#c", CHILDREN_COUNT);
        if (u.childrenCount() != null) {
            set.append(", #c = :children");
            values.put(":children", n(u.childrenCount()));
        } else {
            remove.add("#c");
        }
        String expression = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return TransactWriteItem.builder().update(b -> b.tableName(table).key(key(u.userId()))
                .updateExpression(expression)
                .conditionExpression("#k = :oldKey AND #h = :oldHash")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    /** A transaction's delete of the account, on condition that it exists. */
    TransactWriteItem deleteExisting(String userId) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(userId))
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#id", USER_ID))).build();
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of(USER_ID, s(userId));
    }

    private static Map<String, AttributeValue> item(User u) {
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

    private static User user(Map<String, AttributeValue> item) {
        AttributeValue spec = item.get(SPECIALIZATION);
        AttributeValue children = item.get(CHILDREN_COUNT);
        return new User(item.get(USER_ID).s(), item.get(USERNAME).s(), item.get(EMAIL).s(), item.get(PASSWORD_HASH).s(),
                UserType.fromWire(item.get(USER_TYPE).s()), spec == null ? null : spec.s(),
                children == null ? null : Integer.valueOf(children.n()),
                Instant.ofEpochMilli(longOf(item.get(CREATED_AT))));
    }

    /** The non-empty profiles of these users, by id: BatchGetItem, the profile attributes only. */
    Map<String, Profile> profiles(Collection<String> ids) {
        Map<String, Profile> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = ids.stream().distinct().map(Users::key).toList();
        Map<String, String> names = new HashMap<>(Map.of("#id", USER_ID));
        for (int i = 0; i < PROFILE.size(); i++) {
            names.put("#p" + i, PROFILE.get(i));
        }
        String projection = "#id, #p0, #p1, #p2, #p3, #p4";
        for (int i = 0; i < keys.size(); i += 100) { // BatchGetItem takes at most 100 keys
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(i, Math.min(keys.size(), i + 100))).consistentRead(true)
                    .projectionExpression(projection).expressionAttributeNames(names).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> ask = request;
                var got = dynamo.batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : got.responses().getOrDefault(table, List.of())) {
                    Profile p = new Profile(str(item, DISPLAY_NAME), str(item, AVATAR_MEDIA_ID), str(item, BIO),
                            str(item, CREDENTIALS), str(item, PRACTICE));
                    if (!p.isEmpty()) {
                        found.put(item.get(USER_ID).s(), p);
                    }
                }
                request = got.hasUnprocessedKeys() ? got.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    RetryPolicy.DEFAULT.pause(attempt, null);
                }
            }
        }
        return found;
    }

    /**
     * Replaces the profile attributes if each still holds {@code expected}'s value (absent for
     * null) and the account exists: one conditional UpdateItem.
     *
     * @return false if the condition failed (the caller tells a changed profile from a missing account)
     */
    boolean replaceProfile(String userId, Profile expected, Profile updated) {
        List<String> before = values(expected);
        List<String> after = values(updated);
        Map<String, String> names = new HashMap<>(Map.of("#id", USER_ID));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        StringBuilder condition = new StringBuilder("attribute_exists(#id)");
        for (int i = 0; i < PROFILE.size(); i++) {
            names.put("#p" + i, PROFILE.get(i));
            if (after.get(i) == null) {
                remove.add("#p" + i);
            } else {
                set.add("#p" + i + " = :n" + i);
                values.put(":n" + i, s(after.get(i)));
            }
            if (before.get(i) == null) {
                condition.append(" AND attribute_not_exists(#p").append(i).append(')');
            } else {
                condition.append(" AND #p").append(i).append(" = :o").append(i);
                values.put(":o" + i, s(before.get(i)));
            }
        }
        String expression = (set.isEmpty() ? "" : "SET " + String.join(", ", set))
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            RetryPolicy.DEFAULT.run(() -> dynamo.updateItem(b -> b.tableName(table).key(key(userId))
                    .updateExpression(expression.strip()).conditionExpression(condition.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values.isEmpty() ? null : values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static List<String> values(Profile p) {
        return java.util.Arrays.asList(p.displayName(), p.avatarMediaId(), p.bio(), p.credentials(), p.practice());
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
