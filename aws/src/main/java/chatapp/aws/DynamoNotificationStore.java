package chatapp.aws;

import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;

import chatapp.notification.NotificationStore;
import chatapp.notification.Preferences;
import chatapp.notification.PreferencesDocument;
import chatapp.notification.PushSubscription;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link NotificationStore} on DynamoDB, items of the {@link Tables#AUTH} table (this class owns
 * their keys):
 * <ul>
 *   <li>{@code prefs#<userId>}, sk {@code preferences}: the user's preferences, attribute
 *       {@code preferences} the JSON of {@link PreferencesDocument};</li>
 *   <li>{@code push#<userId>}, sk the session id: that session's Web Push subscription
 *       ({@code endpoint}, {@code p256dh}, {@code auth}, {@code createdAtMs}); a user's
 *       subscriptions are one key range;</li>
 *   <li>{@code away#<conversationId>}, sk the end of the away period (epoch ms, 15 digits): the
 *       away message was shown; written on condition that it is new, expiring (TTL) when the
 *       period ends.</li>
 * </ul>
 */
public final class DynamoNotificationStore implements NotificationStore {

    private static final String PREFERENCES = "preferences";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoNotificationStore(DynamoDbClient dynamo, DynamoSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.tableName(Tables.AUTH.name());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(AuthItems.PK, s(pk), AuthItems.SK, s(sk));
    }

    private static Map<String, AttributeValue> preferencesKey(String userId) {
        return key("prefs#" + userId, PREFERENCES);
    }

    @Override
    public Optional<Preferences> preferences(String userId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(preferencesKey(userId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(PreferencesDocument.fromJson(item.get(PREFERENCES).s()));
    }

    @Override
    public void savePreferences(String userId, Preferences preferences) {
        Map<String, AttributeValue> item = new HashMap<>(preferencesKey(userId));
        item.put(AuthItems.USER_ID, s(userId));
        item.put(PREFERENCES, s(PreferencesDocument.of(preferences).toJson()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void savePushSubscription(PushSubscription sub) {
        Map<String, AttributeValue> item = new HashMap<>(key("push#" + sub.userId(), sub.sessionId()));
        item.put(AuthItems.USER_ID, s(sub.userId()));
        item.put(AuthItems.SESSION_ID, s(sub.sessionId()));
        item.put("endpoint", s(sub.endpoint()));
        item.put("p256dh", s(sub.p256dh()));
        item.put("auth", s(sub.auth()));
        item.put(AuthItems.CREATED_AT_MS, n(sub.createdAt().toEpochMilli()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public List<PushSubscription> pushSubscriptions(String userId) {
        // A user has a few sessions: one page holds them all.
        return dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", AuthItems.PK))
                        .expressionAttributeValues(Map.of(":pk", s("push#" + userId))))
                .items().stream()
                .map(i -> new PushSubscription(i.get(AuthItems.USER_ID).s(), i.get(AuthItems.SESSION_ID).s(),
                        i.get("endpoint").s(), i.get("p256dh").s(), i.get("auth").s(),
                        Instant.ofEpochMilli(Long.parseLong(i.get(AuthItems.CREATED_AT_MS).n()))))
                .toList();
    }

    @Override
    public boolean deletePushSubscription(String userId, String sessionId) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key("push#" + userId, sessionId))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    @Override
    public boolean deletePushEndpoint(String userId, String endpoint) {
        boolean any = false;
        for (PushSubscription sub : pushSubscriptions(userId)) {
            if (sub.endpoint().equals(endpoint)) {
                try {
                    dynamo.deleteItem(b -> b.tableName(table).key(key("push#" + userId, sub.sessionId()))
                            .conditionExpression("#e = :e").expressionAttributeNames(Map.of("#e", "endpoint"))
                            .expressionAttributeValues(Map.of(":e", s(endpoint))));
                    any = true;
                } catch (ConditionalCheckFailedException e) {
                    // The session subscribed again meanwhile, to another endpoint: that one stays.
                }
            }
        }
        return any;
    }

    @Override
    public void deleteUser(String userId) {
        dynamo.deleteItem(b -> b.tableName(table).key(preferencesKey(userId)));
        for (PushSubscription sub : pushSubscriptions(userId)) {
            deletePushSubscription(userId, sub.sessionId());
        }
    }

    @Override
    public boolean firstAwayNotice(String conversationId, Instant periodEnds, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key("away#" + conversationId,
                String.format("%015d", periodEnds.toEpochMilli())));
        item.put(Tables.EXPIRES_AT, n(periodEnds.getEpochSecond() + 1));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", AuthItems.PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
