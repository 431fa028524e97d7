package chatapp.aws;

import static chatapp.aws.AttributeValues.s;
import static org.assertj.core.api.Assertions.assertThat;

import chatapp.aws.media.DynamoMediaStore;
import chatapp.chat.ChatStore;
import chatapp.chat.Content;
import chatapp.chat.Message;
import chatapp.chat.NewMessage;
import chatapp.core.Ids;
import chatapp.media.Media;
import chatapp.media.MediaFormat;
import chatapp.media.MediaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Retention in the AWS shape (docs/audit.md, "Retention") on DynamoDB-on-moto: every message
 * carries the TTL attribute (its creation plus the retention, epoch seconds) on a table whose TTL
 * is enabled, and since TTL deletes late (up to days), reads leave out the expired messages it has
 * not deleted yet.
 */
class DynamoRetentionTest {

    @RegisterExtension
    static final DynamoFixture dynamo = new DynamoFixture();

    @BeforeEach
    void freshTables() {
        dynamo.moto().reset();
        new Tables(dynamo.client(), dynamo.settings()).create();
    }

    @Test
    void messagesCarryTheirExpiryAndReadsLeaveOutTheExpiredOnes() {
        ChatStore store = new DynamoChatStore(dynamo.client(), dynamo.settings(), Duration.ofDays(30));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        store.createConversation("conversation-1", "parent-1", "therapist-1", now.minus(Duration.ofDays(40)));
        Message old = store.send(new NewMessage("conversation-1", "parent-1", "therapist-1", "c-1",
                now.minus(Duration.ofDays(31)), Content.text("old"), null)).message();
        Message recent = store.send(new NewMessage("conversation-1", "therapist-1", "parent-1", "c-2", now,
                Content.text("recent"), null)).message();

        String table = dynamo.settings().tableName(Tables.CHATS.name());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = dynamo.client()
                .getItem(g -> g.tableName(table).key(Map.of(Messages.CONVERSATION_ID, s("conversation-1"),
                        Messages.MESSAGE_ID, s(old.messageId())))).item();
        assertThat(item.get(Tables.EXPIRES_AT).n())
                .isEqualTo(Long.toString(old.createdAt().plus(Duration.ofDays(30)).getEpochSecond()));
        assertThat(dynamo.client().describeTimeToLive(d -> d.tableName(table)).timeToLiveDescription()
                .timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);

        assertThat(store.message("conversation-1", old.messageId())).isEmpty();
        assertThat(store.before("conversation-1", null, 10)).containsExactly(recent);
        assertThat(store.after("conversation-1", "0", 10)).containsExactly(recent);
        assertThat(new DynamoChatStore(dynamo.client(), dynamo.settings()).message("conversation-1", old.messageId()))
                .as("without a retention nothing expires").isPresent();
    }

    /** Photos and videos go with their messages: a TTL on the record, and none served past it. */
    @Test
    void mediaRecordsCarryTheirExpiryAndAreNotFoundPastIt() {
        MediaStore store = new DynamoMediaStore(dynamo.client(), dynamo.settings(), Duration.ofDays(30), Clock.systemUTC());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Media old = photo("parent-1", now.minus(Duration.ofDays(31)));
        Media recent = photo("parent-1", now);
        store.create(old);
        store.create(recent);

        String table = dynamo.settings().tableName(Tables.MEDIA.name());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = dynamo.client()
                .getItem(g -> g.tableName(table).key(Map.of("mediaId", s(old.mediaId())))).item();
        assertThat(item.get("expiresAt").n())
                .isEqualTo(Long.toString(old.createdAt().plus(Duration.ofDays(30)).getEpochSecond()));
        assertThat(dynamo.client().describeTimeToLive(d -> d.tableName(table)).timeToLiveDescription()
                .timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);

        assertThat(store.find(old.mediaId())).as("past its retention").isEmpty();
        assertThat(store.find(recent.mediaId())).isPresent();
        MediaStore forEver = new DynamoMediaStore(dynamo.client(), dynamo.settings());
        Media kept = photo("parent-1", now.minus(Duration.ofDays(400)));
        forEver.create(kept);
        assertThat(forEver.find(kept.mediaId())).as("without a retention nothing expires").isPresent();
    }

    /** A profile photo is not a message's: its record never expires with message retention. */
    @Test
    void anAvatarsRecordNeverExpires() {
        MediaStore store = new DynamoMediaStore(dynamo.client(), dynamo.settings(), Duration.ofDays(30), Clock.systemUTC());
        String id = Ids.random();
        Media avatar = new Media(id, "therapist-1", MediaFormat.JPEG, 1_000, 10, 10, null, id + "/avatar",
                id + "/avatar-thumbnail", Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(400)));
        assertThat(avatar.isAvatar()).isTrue();
        store.create(avatar);

        String table = dynamo.settings().tableName(Tables.MEDIA.name());
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = dynamo.client()
                .getItem(g -> g.tableName(table).key(Map.of("mediaId", s(id)))).item();
        assertThat(item).as("no TTL on a profile photo").doesNotContainKey(Tables.EXPIRES_AT);
        assertThat(store.find(id)).as("400 days old, with a 30-day message retention").contains(avatar);
    }

    private static Media photo(String owner, Instant createdAt) {
        String id = Ids.random();
        return new Media(id, owner, MediaFormat.JPEG, 1_000, 10, 10, null, id + "/original", id + "/thumbnail",
                createdAt);
    }
}
