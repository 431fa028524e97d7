package chatapp.aws;

import static chatapp.aws.AttributeValues.n;
import static chatapp.aws.AttributeValues.s;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserStore;
import chatapp.chat.ChatStore;
import chatapp.chat.Consent;
import chatapp.chat.ConsentContract;
import chatapp.core.RateLimitStore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Contact by consent on DynamoDB-on-moto (fresh tables per test); and inbox rows written
 * before consent existed (no {@code state}) read as accepted (docs/data-model.md).
 */
class DynamoConsentTest extends ConsentContract {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @BeforeEach
    void freshTables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Override
    protected ChatStore store() {
        return new DynamoChatStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected UserStore users() {
        return new DynamoUserStore(dynamo.client(), dynamo.settings());
    }

    @Override
    protected RateLimitStore rateLimits() {
        return new DynamoRateLimitStore(dynamo.client(), dynamo.settings());
    }

    @Test
    void inboxRowsWithoutAStateAreAccepted() {
        String table = dynamo.settings().tableName(Tables.CONVERSATIONS.name());
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (String[] pair : new String[][] {{"parent-1", "therapist-1"}, {"therapist-1", "parent-1"}}) {
            dynamo.client().putItem(p -> p.tableName(table).item(Map.of(
                    Inboxes.USER_ID, s(pair[0]), Inboxes.CONVERSATION_ID, s("conversation-1"),
                    Inboxes.PEER_ID, s(pair[1]), Inboxes.UNREAD_COUNT, n(0), Inboxes.UPDATED_AT, n(at.toEpochMilli()),
                    Inboxes.ACTIVITY, s(Inboxes.activity(at, "conversation-1")))));
        }
        ChatStore store = store();
        assertThat(store.inboxEntry("parent-1", "conversation-1").orElseThrow().consent()).isEqualTo(Consent.ACCEPTED);
        assertThat(store.contacts("therapist-1")).containsExactly(new ChatStore.Contact("parent-1", Consent.ACCEPTED));
        assertThat(store.inbox("therapist-1", ChatStore.Folder.INBOX, 10, null).items()).hasSize(1);
        assertThat(store.inbox("therapist-1", ChatStore.Folder.REQUESTS, 10, null).items()).isEmpty();
        // A legacy row takes part in consent changes as accepted.
        assertThat(store.changeConsent("conversation-1", "parent-1", "therapist-1", Consent.ACCEPTED,
                new Consent(chatapp.chat.ConversationState.BLOCKED, null, "parent-1"))).isTrue();
        assertThat(store.inboxEntry("therapist-1", "conversation-1").orElseThrow().consent().blockedBy())
                .isEqualTo("parent-1");
    }
}
