package chatapp.aws;

import static chatapp.aws.DynamoUserStore.PK;
import static chatapp.aws.DynamoUserStore.SK;
import static chatapp.aws.DynamoUserStore.USER_ID;
import static chatapp.aws.DynamoUserStore.n;
import static chatapp.aws.DynamoUserStore.s;

import chatapp.account.RefreshSession;
import chatapp.account.SessionStore;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link SessionStore} on DynamoDB, in {@link Tables#AUTH}: a chain is
 * ({@code session#<userId>}, {@code <sessionId>}) with the hash of its current token, so a
 * user's chains are one key range; each token issued is ({@code refresh#<hash>},
 * {@code token}) naming its chain. Every item carries {@link Tables#EXPIRES_AT} (epoch
 * seconds) and expires by itself; reads also check it because TTL deletes late.
 */
public final class DynamoSessionStore implements SessionStore {

    static final String SESSION_ID = "sessionId";
    static final String CURRENT_HASH = "currentHash";
    static final String EXPIRES_AT_MS = "expiresAtMs";
    static final String TOKEN = "token";

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
