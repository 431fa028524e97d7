package chatapp.aws;

import static chatapp.aws.DynamoUserStore.PK;
import static chatapp.aws.DynamoUserStore.SK;
import static chatapp.aws.DynamoUserStore.USER_ID;
import static chatapp.aws.DynamoUserStore.n;
import static chatapp.aws.DynamoUserStore.s;

import chatapp.account.RefreshSession;
import chatapp.account.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link SessionStore} on DynamoDB, in {@link Tables#AUTH}: a chain is
 * ({@code session#<userId>}, {@code <sessionId>}) with the hash of its current token, so a
 * user's chains are one key range; each token issued is ({@code refresh#<hash>},
 * {@code token}) naming its chain. After its first rotation a chain also holds
 * {@code previousHash}, {@code repeatUntilMs} and {@code sealedSuccessor} (its current token,
 * sealed for the holder of the previous one) for the repeat within the grace window. Every item
 * carries {@link Tables#EXPIRES_AT} (epoch seconds) and expires by itself; reads also check it
 * because TTL deletes late.
 */
public final class DynamoSessionStore implements SessionStore {

    static final String SESSION_ID = "sessionId";
    static final String CURRENT_HASH = "currentHash";
    static final String EXPIRES_AT_MS = "expiresAtMs";
    static final String TOKEN = "token";
    static final String REVOKED = "revoked";
    static final String PREVIOUS_HASH = "previousHash";
    static final String SEALED_SUCCESSOR = "sealedSuccessor";
    static final String REPEAT_UNTIL_MS = "repeatUntilMs";
    /** Tries of a rotation that DynamoDB cancels for a concurrent transaction on the same chain. */
    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final String auth;

    public DynamoSessionStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.auth = settings.tableName(Tables.AUTH.name());
    }

    @Override
    public void create(RefreshSession session) {
        dynamo.transactWriteItems(b -> b.transactItems(List.of(
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(sessionItem(session))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(auth).item(tokenItem(session))
                        .conditionExpression("attribute_not_exists(pk)")).build())));
    }

    @Override
    public Rotation rotate(String presentedHash, Successor next, Instant now) {
        Map<String, AttributeValue> token = liveToken(presentedHash, now);
        if (token == null) {
            return Rotation.rejected();
        }
        String userId = token.get(USER_ID).s();
        String sessionId = token.get(SESSION_ID).s();
        RefreshSession rotated = new RefreshSession(sessionId, userId, next.tokenHash(), next.expiresAt());
        Map<String, AttributeValue> key = Map.of(PK, s(sessionPk(userId)), SK, s(sessionId));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(List.of(
                        TransactWriteItem.builder().update(u -> u.tableName(auth).key(key)
                                .updateExpression("SET currentHash = :next, expiresAtMs = :ms, expiresAt = :ttl,"
                                        + " previousHash = :presented, sealedSuccessor = :sealed, repeatUntilMs = :until")
                                .conditionExpression("currentHash = :presented AND attribute_not_exists(revoked)"
                                        + " AND expiresAtMs > :now")
                                .expressionAttributeValues(Map.of(":next", s(next.tokenHash()),
                                        ":ms", n(next.expiresAt().toEpochMilli()), ":ttl", n(next.expiresAt().getEpochSecond()),
                                        ":presented", s(presentedHash), ":sealed", s(next.sealedToken()),
                                        ":until", n(next.repeatableUntil().toEpochMilli()), ":now", n(now.toEpochMilli())))
                                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                        TransactWriteItem.builder().put(p -> p.tableName(auth).item(tokenItem(rotated))
                                .conditionExpression("attribute_not_exists(pk)")).build())));
                return new Rotation(Rotation.Outcome.ROTATED, userId, sessionId);
            } catch (TransactionCanceledException e) {
                CancellationReason reason = e.cancellationReasons().getFirst();
                if ("TransactionConflict".equals(reason.code()) && attempt < MAX_ATTEMPTS) {
                    pause(attempt); // a concurrent presentation is mid-commit on this chain: decide after it
                    continue;
                }
                if (!"ConditionalCheckFailed".equals(reason.code())) {
                    throw e;
                }
                // The chain as it was when the condition failed (or read now, where the item is not returned).
                Map<String, AttributeValue> chain = reason.hasItem() && !reason.item().isEmpty() ? reason.item()
                        : dynamo.getItem(g -> g.tableName(auth).key(key).consistentRead(true)).item();
                return spent(chain, key, presentedHash, userId, sessionId, now);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while refreshing", e);
        }
    }

    /** The answer for a presented token that is not (or no longer) the chain's current one. */
    private Rotation spent(Map<String, AttributeValue> chain, Map<String, AttributeValue> key, String presentedHash,
            String userId, String sessionId, Instant now) {
        if (chain == null || chain.isEmpty() || chain.containsKey(REVOKED)
                || Long.parseLong(chain.get(EXPIRES_AT_MS).n()) <= now.toEpochMilli()) {
            return Rotation.rejected();
        }
        if (chain.containsKey(PREVIOUS_HASH) && presentedHash.equals(chain.get(PREVIOUS_HASH).s())
                && now.toEpochMilli() < Long.parseLong(chain.get(REPEAT_UNTIL_MS).n())) {
            // The previous token within its window: the successor that rotation issued, unchanged.
            return new Rotation(Rotation.Outcome.REPEATED, userId, sessionId, chain.get(SEALED_SUCCESSOR).s());
        }
        // The chain is live but has moved on: the presented token is spent. Revoke the chain.
        return revokeChain(key) ? new Rotation(Rotation.Outcome.REUSED, userId, sessionId) : Rotation.rejected();
    }

    @Override
    public boolean revoke(String tokenHash, String userId, Instant now) {
        Map<String, AttributeValue> token = liveToken(tokenHash, now);
        if (token == null || !token.get(USER_ID).s().equals(userId)) {
            return false;
        }
        return revokeChain(Map.of(PK, s(sessionPk(token.get(USER_ID).s())), SK, s(token.get(SESSION_ID).s())));
    }

    @Override
    public void revokeOthers(String userId, String keepSessionId) {
        // One key range: the user's chains. Revoked ones are left as they are.
        var pages = dynamo.queryPaginator(b -> b.tableName(auth).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(sessionPk(userId))))
                .projectionExpression("pk, sk, revoked"));
        for (Map<String, AttributeValue> chain : pages.items()) {
            if (!chain.get(SK).s().equals(keepSessionId) && !chain.containsKey(REVOKED)) {
                revokeChain(Map.of(PK, chain.get(PK), SK, chain.get(SK)));
            }
        }
    }

    /** Marks a chain revoked; false if it did not exist or was already revoked. */
    private boolean revokeChain(Map<String, AttributeValue> key) {
        try {
            dynamo.updateItem(b -> b.tableName(auth).key(key).updateExpression("SET revoked = :t")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(revoked)")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The token item for this hash if it exists and has not expired (TTL deletes late). */
    private Map<String, AttributeValue> liveToken(String hash, Instant now) {
        var item = dynamo.getItem(b -> b.tableName(auth).key(Map.of(PK, s(tokenPk(hash)), SK, s(TOKEN)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty() || Long.parseLong(item.get(EXPIRES_AT_MS).n()) <= now.toEpochMilli()) {
            return null;
        }
        return item;
    }

    static String sessionPk(String userId) {
        return "session#" + userId;
    }

    static String tokenPk(String hash) {
        return "refresh#" + hash;
    }

    private static Map<String, AttributeValue> sessionItem(RefreshSession s) {
        return Map.of(PK, s(sessionPk(s.userId())), SK, s(s.sessionId()), USER_ID, s(s.userId()),
                CURRENT_HASH, s(s.tokenHash()), EXPIRES_AT_MS, n(s.expiresAt().toEpochMilli()),
                Tables.EXPIRES_AT, n(s.expiresAt().getEpochSecond()));
    }

    private static Map<String, AttributeValue> tokenItem(RefreshSession s) {
        return Map.of(PK, s(tokenPk(s.tokenHash())), SK, s(TOKEN), SESSION_ID, s(s.sessionId()), USER_ID, s(s.userId()),
                EXPIRES_AT_MS, n(s.expiresAt().toEpochMilli()), Tables.EXPIRES_AT, n(s.expiresAt().getEpochSecond()));
    }
}
