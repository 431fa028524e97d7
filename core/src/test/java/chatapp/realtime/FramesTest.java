package chatapp.realtime;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.account.User;
import chatapp.account.UserType;
import chatapp.chat.Consent;
import chatapp.chat.ConversationView;
import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of frames, exactly as API.md writes it. */
class FramesTest {

    private final Frames frames = new Frames(JsonMapper.builder().build());

    @Test
    void serverFramesHaveTheirTypeFirstAndTimesWithMilliseconds() {
        assertThat(frames.encode(new ServerFrame.Presence("u-1", false, Instant.parse("2026-11-24T10:15:30Z"))))
                .isEqualTo("{\"type\":\"presence\",\"userId\":\"u-1\",\"online\":false,\"lastSeenAt\":\"2026-11-24T10:15:30.000Z\"}");
        assertThat(frames.encode(new ServerFrame.Read("c-1", "u-2", "m-9", Instant.parse("2026-11-24T10:15:30.120Z"))))
                .isEqualTo("{\"type\":\"read\",\"conversationId\":\"c-1\",\"readerId\":\"u-2\",\"upToMessageId\":\"m-9\","
                        + "\"readAt\":\"2026-11-24T10:15:30.120Z\"}");
        assertThat(frames.encode(new ServerFrame.Pong())).isEqualTo("{\"type\":\"pong\"}");
    }

    @Test
    void aConversationFrameCarriesRestsConversationWithThePeersPublicViewOnly() {
        User peer = new User("u-1", "amira", "amira@example.org", "{argon2}secret-hash", UserType.THERAPIST,
                "Speech therapy", null, Instant.parse("2026-01-01T00:00:00Z"));
        ConversationView view = new ConversationView("c-1", peer, null, 0, Instant.parse("2026-11-24T10:15:30.120Z"),
                Consent.requested("u-1"));
        assertThat(frames.encode(ServerFrame.Conversation.of(view))).isEqualTo("{\"type\":\"conversation\","
                + "\"conversation\":{\"conversationId\":\"c-1\",\"peer\":{\"userId\":\"u-1\",\"username\":\"amira\","
                + "\"userType\":\"therapist\",\"specialization\":\"Speech therapy\",\"createdAt\":\"2026-01-01T00:00:00.000Z\"},"
                + "\"lastMessage\":null,\"unreadCount\":0,\"updatedAt\":\"2026-11-24T10:15:30.120Z\",\"state\":\"requested\","
                + "\"requestedBy\":\"u-1\",\"blockedBy\":null}}");
    }

    @Test
    void anErrorNamesItsClientMessageIdOnlyWhenThereIsOne() {
        assertThat(frames.encode(new ServerFrame.Failure("bad_frame", "no", null)))
                .isEqualTo("{\"type\":\"error\",\"code\":\"bad_frame\",\"detail\":\"no\"}");
        assertThat(frames.encode(new ServerFrame.Failure("not_found", "no such conversation", "c-7")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"not_found\",\"detail\":\"no such conversation\",\"clientMessageId\":\"c-7\"}");
    }

    /** Issue 19: a rate_limited error says when to retry, as REST's Retry-After does. */
    @Test
    void aRateLimitedErrorCarriesItsRetryTime() {
        assertThat(frames.encode(new ServerFrame.Failure("rate_limited", "too many messages", "c-8", 1500L)))
                .isEqualTo("{\"type\":\"error\",\"code\":\"rate_limited\",\"detail\":\"too many messages\","
                        + "\"clientMessageId\":\"c-8\",\"retryAfterMs\":1500}");
    }

    @Test
    void clientFramesAreDecodedAndCheckedForShape() {
        assertThat(frames.decode("{\"type\":\"send\",\"clientMessageId\":\"c\",\"conversationId\":\"k\","
                + "\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}"))
                .isEqualTo(new ClientFrame.Send("c", "k", "text", "hi"));
        assertThat(frames.decode("{\"type\":\"send\",\"clientMessageId\":\"c\",\"conversationId\":\"k\","
                + "\"content\":{\"contentType\":\"image\",\"value\":\"m\",\"caption\":\"Sam\"}}"))
                .isEqualTo(new ClientFrame.Send("c", "k", "image", "m", "Sam", null));
        assertThatThrownBy(() -> frames.decode("{\"type\":\"send\",\"clientMessageId\":\"c\",\"conversationId\":\"k\","
                + "\"content\":{\"contentType\":\"image\",\"value\":\"m\",\"caption\":7}}"))
                .isInstanceOf(Frames.BadFrame.class).hasMessageContaining("content.caption");
        assertThat(frames.decode("{\"type\":\"read\",\"conversationId\":\"k\",\"upToMessageId\":\"m\"}"))
                .isEqualTo(new ClientFrame.Read("k", "m"));
        assertThat(frames.decode("{\"type\":\"typing\",\"conversationId\":\"k\"}")).isEqualTo(new ClientFrame.Typing("k"));
        assertThat(frames.decode("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping());

        assertThatThrownBy(() -> frames.decode("{\"type\":\"typing\"}")).isInstanceOf(Frames.BadFrame.class)
                .hasMessageContaining("conversationId");
        assertThatThrownBy(() -> frames.decode("{\"type\":\"read\",\"conversationId\":7,\"upToMessageId\":\"m\"}"))
                .hasMessageContaining("conversationId");
        assertThatThrownBy(() -> frames.decode("{\"type\":\"send\",\"clientMessageId\":\"c\",\"conversationId\":\"k\","
                + "\"content\":{\"contentType\":\"text\",\"value\":5}}"))
                .isInstanceOfSatisfying(Frames.BadFrame.class, e -> assertThat(e.clientMessageId()).isEqualTo("c"));
        assertThatThrownBy(() -> frames.decode("\"ping\"")).hasMessageContaining("object");
        assertThatThrownBy(() -> frames.decode("{\"type\":\"ping\"")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> frames.decode("{\"type\":\"x\".repeat(100)}")).isInstanceOf(Frames.BadFrame.class);
    }

    @Test
    void aKeyGivenTwiceIsABadFrameNamingIt() {
        assertThatThrownBy(() -> frames.decode("{\"type\":\"send\",\"clientMessageId\":\"a\",\"clientMessageId\":\"b\","
                + "\"conversationId\":\"k\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}"))
                .isInstanceOf(Frames.BadFrame.class).hasMessageContaining("twice").hasMessageContaining("clientMessageId");
    }

    @Test
    void aPhotosMediaHasNoDurationAndTextHasNoMedia() {
        Instant at = Instant.parse("2026-11-24T10:15:30Z");
        Message photo = new Message("m-1", "k", "u-1", "u-2", at, new chatapp.chat.Content("image", "p-1"),
                new MediaRef("p-1", "image/jpeg", 1234, 300, 200, null), "c-1", null);
        assertThat(frames.encode(new ServerFrame.NewMessage(photo)))
                .contains("\"media\":{\"mediaId\":\"p-1\",\"contentType\":\"image/jpeg\",\"size\":1234,\"width\":300,\"height\":200}");
        Message text = new Message("m-2", "k", "u-1", "u-2", at, chatapp.chat.Content.text("hi"), null, "c-2", null);
        assertThat(frames.encode(new ServerFrame.NewMessage(text))).doesNotContain("media");
    }

    @Test
    void anAckAndAMessageCarryTheMessageAsRestGivesIt() {
        Instant at = Instant.parse("2026-11-24T10:15:30.5Z");
        Message reply = new Message("m-3", "k", "u-1", "u-2", at, new chatapp.chat.Content("text", "say \"hi\"\n"),
                null, "c-\u00e9\"3", null, null, null, null, chatapp.chat.Quote.of("m-1", "u-2",
                        chatapp.chat.Content.text("first")));
        String message = "{\"messageId\":\"m-3\",\"conversationId\":\"k\",\"senderId\":\"u-1\",\"recipientId\":\"u-2\","
                + "\"createdAt\":\"2026-11-24T10:15:30.500Z\",\"content\":{\"contentType\":\"text\",\"value\":\"say \\\"hi\\\"\\n\"},"
                + "\"clientMessageId\":\"c-\u00e9\\\"3\",\"readAt\":null,\"deliveredAt\":null,"
                + "\"editedAt\":null,\"deletedAt\":null,\"quote\":";
        String fanned = frames.encode(new ServerFrame.NewMessage(reply));
        assertThat(fanned).startsWith("{\"type\":\"message\",\"message\":" + message);
        // the ack, written right after around the same message JSON
        assertThat(frames.encode(new ServerFrame.Ack("c-\u00e9\"3", reply)))
                .isEqualTo("{\"type\":\"ack\",\"clientMessageId\":\"c-\u00e9\\\"3\",\"message\":"
                        + fanned.substring("{\"type\":\"message\",\"message\":".length()));
        // an equal message that is another object is encoded on its own, to the same text
        Message same = reply.withQuote(reply.quote());
        assertThat(frames.encode(new ServerFrame.NewMessage(same))).isEqualTo(fanned);
        // exactly what the general path (a tree, as for every other frame) writes
        assertThat(fanned).isEqualTo(frames.tree(new ServerFrame.NewMessage(reply)));
        assertThat(frames.encode(new ServerFrame.Ack("c-1", reply))).isEqualTo(frames.tree(new ServerFrame.Ack("c-1", reply)));
        // and a frame of another kind still goes through the general path
        assertThat(frames.encode(new ServerFrame.MessageEdited(reply))).startsWith("{\"type\":\"message_edited\",\"message\":"
                + message);
    }
}
