package chatapp.aws;

import static chatapp.aws.AttributeValues.longOf;
import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.account.Accounts;
import chatapp.account.RefreshSession;
import chatapp.account.Session;
import chatapp.account.SessionStore.Successor;
import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.realtime.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The security items, table {@link Tables#AUTH}, keyed by ({@code pk}, {@code sk}); this class
 * owns the whole key layout, one {@code pk} prefix per kind:
 * <ul>
 *   <li>{@code email#<email>} / {@code username#<usernameKey>}, sk {@code guard}: who holds an
 *       email or username (uniqueness guards, naming {@code userId});</li>
 *   <li>{@code dir#<userType>#<term>}, sk the username key: the directory by specialization term;</li>
 *   <li>{@code session#<userId>}, sk the session id: a refresh-token chain with the hash of its
 *       current token (a user's chains are one key range); after its first rotation also
 *       {@code previousHash}, {@code repeatUntilMs} and {@code sealedSuccessor} for the repeat
 *       within the grace window; for the session list {@code device}, {@code address},
 *       {@code createdAtMs} and {@code lastUsedAtMs} (absent on chains from before issue 19);</li>
 *   <li>{@code refresh#<hash>}, sk {@code token}: each refresh token issued, naming its chain;</li>
 *   <li>{@code ticket#<hash>}, sk {@code ticket}: single-use WebSocket tickets, naming their
 *       {@code sessionId};</li>
 *   <li>{@code limit#<key>}, sk {@code bucket}: rate-limit buckets.</li>
 * </ul>
 * Expiring items carry {@link Tables#EXPIRES_AT} (epoch seconds, for TTL) and their exact
 * expiry in milliseconds; reads check the latter because TTL deletes late.
 */
final class AuthItems {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String USER_ID = "userId";
    // sessions and refresh tokens
    static final String SESSION_ID = "sessionId";
    static final String CURRENT_HASH = "currentHash";
    static final String EXPIRES_AT_MS = "expiresAtMs";
    static final String REVOKED = "revoked";
    static final String PREVIOUS_HASH = "previousHash";
    static final String SEALED_SUCCESSOR = "sealedSuccessor";
    static final String REPEAT_UNTIL_MS = "repeatUntilMs";
    static final String DEVICE = "device";
    static final String ADDRESS = "address";
    static final String CREATED_AT_MS = "createdAtMs";
    static final String LAST_USED_AT_MS = "lastUsedAtMs";
    // tickets
    /** Exact expiry of a ticket; {@link Tables#EXPIRES_AT} holds it rounded up to seconds. */
    static final String EXPIRES_AT_MILLIS = "expiresAtMillis";
    // rate-limit buckets
    static final String STATE = "state";

    static final String GUARD = "guard";
    static final String TOKEN = "token";
    static final String TICKET = "ticket";
    static final String BUCKET = "bucket";

    private final DynamoDbClient dynamo;
    private final String table;

    AuthItems(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.AUTH.name());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private TransactWriteItem putIfAbsent(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))).build();
    }

    // ---- uniqueness guards ----

    private static String emailGuard(String email) {
        return "email#" + email;
    }

    private static String usernameGuard(String usernameKey) {
        return "username#" + usernameKey;
    }

    /** The id of the user holding {@code email}, if any. */
    Optional<String> emailHolder(String email) {
        return Optional.ofNullable(get(key(emailGuard(email), GUARD))).map(item -> item.get(USER_ID).s());
    }

    /** A transaction's claim of {@code email} for {@code userId}, on condition that it is free. */
    TransactWriteItem claimEmail(String email, String userId) {
        return putIfAbsent(Map.of(PK, s(emailGuard(email)), SK, s(GUARD), USER_ID, s(userId)));
    }

    /** A transaction's claim of a username key for {@code userId}, on condition that it is free. */
    TransactWriteItem claimUsername(String usernameKey, String userId) {
        return putIfAbsent(Map.of(PK, s(usernameGuard(usernameKey)), SK, s(GUARD), USER_ID, s(userId)));
    }

    /** A transaction's release of an email, on condition that {@code userId} holds it. */
    TransactWriteItem releaseEmail(String email, String userId) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(emailGuard(email), GUARD))
                .conditionExpression("#u = :me")
                .expressionAttributeNames(Map.of("#u", USER_ID))
                .expressionAttributeValues(Map.of(":me", s(userId)))).build();
    }

    /** A transaction's release of a username key, on condition that {@code userId} holds it. */
    TransactWriteItem releaseUsername(String usernameKey, String userId) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(usernameGuard(usernameKey), GUARD))
                .conditionExpression("#u = :me")
                .expressionAttributeNames(Map.of("#u", USER_ID))
                .expressionAttributeValues(Map.of(":me", s(userId)))).build();
    }

    // ---- directory terms ----

    private static String termPk(UserType type, String term) {
        return "dir#" + type.wire() + "#" + term;
    }

    /** A transaction's put of {@code u}'s directory item for one specialization term. */
    TransactWriteItem putTerm(User u, String term) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of(
                PK, s(termPk(u.userType(), term)), SK, s(u.usernameKey()), USER_ID, s(u.userId())))).build();
    }

    /** A transaction's delete of the directory item of a username key under one term. */
    TransactWriteItem deleteTerm(UserType type, String term, String usernameKey) {
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(termPk(type, term), usernameKey)))
                .build();
    }

    /** Ids of the users of {@code type} under {@code term}, by username key after the given one; at most {@code limit}. */
    List<String> termHolders(UserType type, String term, String afterUsernameKey, int limit) {
        var page = dynamo.query(b -> {
            b.tableName(table).limit(limit).consistentRead(true);
            if (afterUsernameKey == null) {
                b.keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(termPk(type, term))));
            } else {
                b.keyConditionExpression("#pk = :pk AND #sk > :after").expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                        .expressionAttributeValues(Map.of(":pk", s(termPk(type, term)), ":after", s(afterUsernameKey)));
            }
        });
        return page.items().stream().map(i -> i.get(USER_ID).s()).toList();
    }

    // ---- refresh-token chains and tokens ----

    /** A refresh token as stored: the chain it belongs to. */
    record Token(String userId, String sessionId) {
    }

    /** A chain as stored, with what a presentation of a spent token needs. */
    record Chain(boolean revoked, long expiresAtMs, String previousHash, long repeatUntilMs, String sealedSuccessor) {
    }

    private static Map<String, AttributeValue> chainKey(String userId, String sessionId) {
        return key("session#" + userId, sessionId);
    }

    private static Map<String, AttributeValue> tokenKey(String hash) {
        return key("refresh#" + hash, TOKEN);
    }

    /** A transaction's put of a new chain with its first token's hash, on condition that it is new. */
    TransactWriteItem putChain(RefreshSession s) {
        Map<String, AttributeValue> item = new HashMap<>(chainKey(s.userId(), s.sessionId()));
        item.putAll(Map.of(USER_ID, s(s.userId()), CURRENT_HASH, s(s.tokenHash()),
                EXPIRES_AT_MS, n(s.expiresAt().toEpochMilli()), Tables.EXPIRES_AT, n(s.expiresAt().getEpochSecond()),
                CREATED_AT_MS, n(s.createdAt().toEpochMilli()), LAST_USED_AT_MS, n(s.createdAt().toEpochMilli())));
        if (s.device() != null) {
            item.put(DEVICE, s(s.device()));
        }
        if (s.address() != null) {
            item.put(ADDRESS, s(s.address()));
        }
        return putIfAbsent(item);
    }

    /** A transaction's put of the token item of {@code s}'s current token, on condition that it is new. */
    TransactWriteItem putToken(RefreshSession s) {
        Map<String, AttributeValue> item = new HashMap<>(tokenKey(s.tokenHash()));
        item.putAll(Map.of(SESSION_ID, s(s.sessionId()), USER_ID, s(s.userId()),
                EXPIRES_AT_MS, n(s.expiresAt().toEpochMilli()), Tables.EXPIRES_AT, n(s.expiresAt().getEpochSecond())));
        return putIfAbsent(item);
    }

    /** The token with this hash if it exists and has not expired by {@code now}. */
    Optional<Token> liveToken(String hash, Instant now) {
        Map<String, AttributeValue> item = get(tokenKey(hash));
        if (item == null || longOf(item.get(EXPIRES_AT_MS)) <= now.toEpochMilli()) {
            return Optional.empty();
        }
        return Optional.of(new Token(item.get(USER_ID).s(), item.get(SESSION_ID).s()));
    }

    /**
     * A transaction's move of a chain from {@code presentedHash} to {@code next}, remembering
     * the presented hash and the sealed successor for the repeat window; on condition that the
     * chain's current token is the presented one, unrevoked and unexpired at {@code now}. A
     * failed condition returns the chain as it was (see {@link #chain}).
     */
    TransactWriteItem rotateChain(Token token, String presentedHash, Successor next, Instant now) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(chainKey(token.userId(), token.sessionId()))
                .updateExpression("SET #c = :next, #ms = :ms, #ttl = :ttl, #p = :presented, #s = :sealed, #until = :until")
                .conditionExpression("#c = :presented AND attribute_not_exists(#r) AND #ms > :now")
                .expressionAttributeNames(Map.of("#c", CURRENT_HASH, "#ms", EXPIRES_AT_MS, "#ttl", Tables.EXPIRES_AT,
                        "#p", PREVIOUS_HASH, "#s", SEALED_SUCCESSOR, "#until", REPEAT_UNTIL_MS, "#r", REVOKED))
                .expressionAttributeValues(Map.of(":next", s(next.tokenHash()),
                        ":ms", n(next.expiresAt().toEpochMilli()), ":ttl", n(next.expiresAt().getEpochSecond()),
                        ":presented", s(presentedHash), ":sealed", s(next.sealedToken()),
                        ":until", n(next.repeatableUntil().toEpochMilli()), ":now", n(now.toEpochMilli())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    /** The chain in {@code item} (as returned by a failed condition), or read now if null or empty. */
    Optional<Chain> chain(Token token, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> chain = item != null && !item.isEmpty() ? item
                : get(chainKey(token.userId(), token.sessionId()));
        if (chain == null) {
            return Optional.empty();
        }
        return Optional.of(new Chain(chain.containsKey(REVOKED), longOf(chain.get(EXPIRES_AT_MS)),
                chain.containsKey(PREVIOUS_HASH) ? chain.get(PREVIOUS_HASH).s() : null,
                chain.containsKey(REPEAT_UNTIL_MS) ? longOf(chain.get(REPEAT_UNTIL_MS)) : 0,
                chain.containsKey(SEALED_SUCCESSOR) ? chain.get(SEALED_SUCCESSOR).s() : null));
    }

    /** Marks a chain revoked; false if it did not exist or was already revoked. */
    boolean revokeChain(String userId, String sessionId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(chainKey(userId, sessionId)).updateExpression("SET #r = :t")
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#r)")
                    .expressionAttributeNames(Map.of("#r", REVOKED, "#pk", PK))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The chains of {@code userId} that are not revoked and not expired at {@code nowMs}, oldest first (one key range). */
    List<Session> liveChains(String userId, long nowMs) {
        var pages = dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s("session#" + userId))));
        List<Session> live = new ArrayList<>();
        for (Map<String, AttributeValue> chain : pages.items()) {
            if (chain.containsKey(REVOKED) || longOf(chain.get(EXPIRES_AT_MS)) <= nowMs) {
                continue;
            }
            // Chains from before the session list: their start is their expiry less the lifetime.
            Instant created = chain.containsKey(CREATED_AT_MS) ? Instant.ofEpochMilli(longOf(chain.get(CREATED_AT_MS)))
                    : Instant.ofEpochMilli(longOf(chain.get(EXPIRES_AT_MS))).minus(Accounts.REFRESH_TOKEN_LIFETIME);
            Instant used = chain.containsKey(LAST_USED_AT_MS) ? Instant.ofEpochMilli(longOf(chain.get(LAST_USED_AT_MS)))
                    : created;
            live.add(new Session(chain.get(SK).s(), chain.containsKey(DEVICE) ? chain.get(DEVICE).s() : null,
                    chain.containsKey(ADDRESS) ? chain.get(ADDRESS).s() : null, created, used));
        }
        live.sort(Comparator.comparing(Session::createdAt).thenComparing(Session::sessionId));
        return live;
    }

    /** Whether the chain exists, is not revoked and has not expired at {@code nowMs} (a consistent read). */
    boolean chainLive(String userId, String sessionId, long nowMs) {
        Map<String, AttributeValue> chain = get(chainKey(userId, sessionId));
        return chain != null && !chain.containsKey(REVOKED) && longOf(chain.get(EXPIRES_AT_MS)) > nowMs;
    }

    /** Sets the chain's last-used time to {@code atMs} unless it is later already; nothing if the chain is gone. */
    void touchChain(String userId, String sessionId, long atMs) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(chainKey(userId, sessionId)).updateExpression("SET #u = :at")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#u) OR #u < :at)")
                    .expressionAttributeNames(Map.of("#u", LAST_USED_AT_MS, "#pk", PK))
                    .expressionAttributeValues(Map.of(":at", n(atMs))));
        } catch (ConditionalCheckFailedException e) {
            // gone, or a later use was recorded meanwhile
        }
    }

    /** The session ids of {@code userId}'s chains that are not revoked (one key range). */
    List<String> unrevokedChains(String userId) {
        var pages = dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#r", REVOKED))
                .expressionAttributeValues(Map.of(":pk", s("session#" + userId)))
                .projectionExpression("#pk, #sk, #r"));
        List<String> ids = new ArrayList<>();
        for (Map<String, AttributeValue> chain : pages.items()) {
            if (!chain.containsKey(REVOKED)) {
                ids.add(chain.get(SK).s());
            }
        }
        return ids;
    }

    // ---- WebSocket tickets ----

    private static Map<String, AttributeValue> ticketKey(String hash) {
        return key("ticket#" + hash, TICKET);
    }

    /** Stores a new ticket; the hash must be new. */
    void putTicket(Ticket ticket) {
        long millis = ticket.expiresAt().toEpochMilli();
        Map<String, AttributeValue> item = new HashMap<>(ticketKey(ticket.ticketHash()));
        item.putAll(Map.of(USER_ID, s(ticket.userId()), EXPIRES_AT_MILLIS, n(millis),
                Tables.EXPIRES_AT, n(Math.ceilDiv(millis, 1000L))));
        if (ticket.sessionId() != null) {
            item.put(SESSION_ID, s(ticket.sessionId()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK)));
    }

    /** Deletes the ticket and returns it: exactly one taker gets it. */
    Optional<Ticket> takeTicket(String ticketHash) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table).key(ticketKey(ticketHash))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        if (old == null || old.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Ticket(ticketHash, old.get(USER_ID).s(),
                Instant.ofEpochMilli(longOf(old.get(EXPIRES_AT_MILLIS))),
                old.containsKey(SESSION_ID) ? old.get(SESSION_ID).s() : null));
    }

    // ---- unread-message reminders (issue 20) ----

    static final String REMINDER = "reminder";
    static final String CONVERSATION_ID = "conversationId";
    static final String DUE_AT_MS = "dueAtMs";
    /** A pending reminder nobody ran is dropped by TTL this long after its time. */
    static final java.time.Duration REMINDER_KEPT = java.time.Duration.ofDays(1);

    private static Map<String, AttributeValue> reminderKey(String key) {
        return key("reminder#" + key, REMINDER);
    }

    /**
     * Puts the pending reminder unless one with its key is pending (a pending one whose TTL
     * passed before this one's time is stale and replaced).
     */
    boolean putReminder(chatapp.notification.Reminder r) {
        long due = r.dueAt().toEpochMilli();
        Map<String, AttributeValue> item = new HashMap<>(reminderKey(r.key()));
        item.put(USER_ID, s(r.userId()));
        if (r.conversationId() != null) {
            item.put(CONVERSATION_ID, s(r.conversationId()));
        }
        item.put(DUE_AT_MS, n(due));
        item.put(Tables.EXPIRES_AT, n(r.dueAt().plus(REMINDER_KEPT).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #ttl < :due")
                    .expressionAttributeNames(Map.of("#pk", PK, "#ttl", Tables.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":due", n(r.dueAt().getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The pending reminder of this key (consistent read), whatever its time. */
    Optional<chatapp.notification.Reminder> pendingReminder(String userId, String conversationId) {
        var item = dynamo.getItem(b -> b.tableName(table)
                .key(reminderKey(chatapp.notification.Reminder.key(userId, conversationId))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new chatapp.notification.Reminder(userId, conversationId,
                Instant.ofEpochMilli(Long.parseLong(item.get(DUE_AT_MS).n()))));
    }

    /** Deletes the pending reminder on condition that it is this one (same due time): one caller wins. */
    boolean takeReminder(chatapp.notification.Reminder r) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(reminderKey(r.key()))
                    .conditionExpression("#due = :due")
                    .expressionAttributeNames(Map.of("#due", DUE_AT_MS))
                    .expressionAttributeValues(Map.of(":due", n(r.dueAt().toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // ---- rate-limit buckets ----

    private static Map<String, AttributeValue> bucketKey(String key) {
        return key("limit#" + key, BUCKET);
    }

    /** The bucket's state unless there is none or it expired by {@code now}. */
    Optional<byte[]> bucket(String key, Instant now) {
        Map<String, AttributeValue> item = get(bucketKey(key));
        if (item == null || !item.containsKey(STATE) || longOf(item.get(EXPIRES_AT_MILLIS)) <= now.toEpochMilli()) {
            return Optional.empty();
        }
        return Optional.of(item.get(STATE).b().asByteArray());
    }

    /** Conditional put of a bucket's state over {@code expected} (null: none or expired by {@code now}). */
    boolean replaceBucket(String key, byte[] expected, byte[] next, Instant expiresAt, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(bucketKey(key));
        long millis = expiresAt.toEpochMilli();
        item.putAll(Map.of(STATE, AttributeValue.fromB(SdkBytes.fromByteArray(next)),
                EXPIRES_AT_MILLIS, n(millis), Tables.EXPIRES_AT, n(Math.ceilDiv(millis, 1000L))));
        try {
            if (expected == null) {
                dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#pk) OR #e <= :now")
                        .expressionAttributeNames(Map.of("#pk", PK, "#e", EXPIRES_AT_MILLIS))
                        .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
            } else {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("#s = :expected")
                        .expressionAttributeNames(Map.of("#s", STATE))
                        .expressionAttributeValues(Map.of(":expected",
                                AttributeValue.fromB(SdkBytes.fromByteArray(expected)))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false; // another node won; the limiter reads again
        }
    }
}
