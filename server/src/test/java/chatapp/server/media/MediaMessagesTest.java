package chatapp.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Photo and video messages over REST and the WebSocket on a real server: only the uploader can send a mediaId,
 * the message carries API.md's {@code media} object, and a link is given to the uploader and the
 * other participant of a conversation that references the media, never to anyone else.
 */
class MediaMessagesTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    static Session parent;
    static Session therapist;
    static Session otherTherapist;
    static String conversationId;

    @BeforeAll
    static void accounts() {
        parent = TestAccounts.register(server, UserType.PARENT);
        therapist = TestAccounts.register(server, UserType.THERAPIST);
        otherTherapist = TestAccounts.register(server, UserType.THERAPIST);
        conversationId = open(parent, therapist);
    }

    static String open(Session from, Session to) {
        HttpResponse<String> r = server.post("/api/v1/conversations", "{\"peerId\":\"" + to.userId() + "\"}",
                from.accessToken());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = Uploads.json(r).get("conversationId").asString();
        // Consent (docs/security.md): photos and videos wait until the peer accepts.
        assertThat(server.post("/api/v1/conversations/" + c + "/accept", "{}", to.accessToken()).statusCode())
                .isEqualTo(200);
        return c;
    }

    static HttpResponse<String> send(Session from, String conversation, String clientMessageId, String type,
            String value) {
        return server.post("/api/v1/conversations/" + conversation + "/messages",
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"" + type
                        + "\",\"value\":\"" + value + "\"}}", from.accessToken());
    }

    static String upload(Session who, byte[] bytes) {
        HttpResponse<String> r = Uploads.raw(server, who.accessToken(), "application/octet-stream", bytes);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Uploads.json(r).get("mediaId").asString();
    }

    @Test
    void aPhotoMessageCarriesItsMediaAndOpensItForThePeerOnly() {
        String photo = upload(parent, TestImages.jpegWithGps(300, 200, 1));
        assertThat(Uploads.link(server, therapist.accessToken(), photo, null).statusCode()).isEqualTo(404);

        HttpResponse<String> sent = send(parent, conversationId, "photo-1", "image", photo);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        JsonNode message = Uploads.json(sent);
        assertThat(message.get("content").get("contentType").asString()).isEqualTo("image");
        assertThat(message.get("content").get("value").asString()).isEqualTo(photo);
        JsonNode media = message.get("media");
        assertThat(media.get("mediaId").asString()).isEqualTo(photo);
        assertThat(media.get("contentType").asString()).isEqualTo("image/jpeg");
        assertThat(media.get("width").asInt()).isEqualTo(300);
        assertThat(media.get("height").asInt()).isEqualTo(200);
        assertThat(media.get("size").asLong()).isPositive();
        assertThat(media.has("durationMs")).as("a photo has no duration: left out, as in the upload's answer").isFalse();

        HttpResponse<String> history = server.get("/api/v1/conversations/" + conversationId + "/messages",
                therapist.accessToken());
        assertThat(Uploads.json(history).get("items").get(0).get("media").get("mediaId").asString()).isEqualTo(photo);

        HttpResponse<String> peerLink = Uploads.link(server, therapist.accessToken(), photo, "thumbnail");
        assertThat(peerLink.statusCode()).isEqualTo(302);
        HttpResponse<byte[]> thumbnail = Uploads.follow(server, peerLink, null);
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(TestImages.metadataLeft(thumbnail.body())).isEmpty();
        assertThat(Uploads.link(server, therapist.accessToken(), photo, "original").statusCode()).isEqualTo(302);
        assertThat(Uploads.link(server, parent.accessToken(), photo, "original").statusCode()).isEqualTo(302);
        MediaEndpointsTest.assertProblem(Uploads.link(server, otherTherapist.accessToken(), photo, "original"), 404,
                "not_found");

        HttpResponse<String> replay = send(parent, conversationId, "photo-1", "image", photo);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(Uploads.json(replay).get("messageId").asString()).isEqualTo(message.get("messageId").asString());
    }

    @Test
    void aVideoMessageCarriesItsDurationAndItsPosterIsTheThumbnail() {
        String video = upload(parent, TestImages.fixture("tiny.mp4"));
        HttpResponse<String> sent = send(parent, conversationId, "video-1", "video", video);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        JsonNode media = Uploads.json(sent).get("media");
        assertThat(media.get("contentType").asString()).isEqualTo("video/mp4");
        assertThat(media.get("durationMs").asLong()).isBetween(900L, 1100L);
        HttpResponse<String> link = Uploads.link(server, therapist.accessToken(), video, "original");
        assertThat(link.statusCode()).isEqualTo(302);
        assertThat(Uploads.follow(server, link, "bytes=0-9").statusCode()).isEqualTo(206);
        // issue 21: the poster frame, a JPEG, is the video's thumbnail variant; the message says it has one
        assertThat(media.get("poster").asBoolean()).isTrue();
        HttpResponse<String> poster = Uploads.link(server, therapist.accessToken(), video, "thumbnail");
        assertThat(poster.statusCode()).isEqualTo(302);
        HttpResponse<byte[]> jpeg = Uploads.follow(server, poster, null);
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(jpeg.body()[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg.body()[1] & 0xff).isEqualTo(0xd8);
        assertThat(TestImages.metadataLeft(jpeg.body())).isEmpty();
    }

    /** Issue 21: a caption travels with a photo or video over REST, into history and the inbox; text has none. */
    @Test
    void aCaptionIsSentWithAPhotoAndReadBackInHistory() {
        String photo = upload(parent, TestImages.jpeg(60, 40));
        HttpResponse<String> sent = server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"cap-1\",\"content\":{\"contentType\":\"image\",\"value\":\"" + photo
                        + "\",\"caption\":\"Sam's drawing \u00e9\\nline two\"}}", parent.accessToken());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(Uploads.json(sent).get("content").get("caption").asString()).isEqualTo("Sam's drawing \u00e9\nline two");
        JsonNode newest = Uploads.json(server.get("/api/v1/conversations/" + conversationId + "/messages",
                therapist.accessToken())).get("items").get(0);
        assertThat(newest.get("content").get("caption").asString()).isEqualTo("Sam's drawing \u00e9\nline two");
        assertThat(newest.get("media").has("poster")).as("photos always have a thumbnail").isFalse();

        HttpResponse<String> plain = send(parent, conversationId, "cap-2", "image", upload(parent, TestImages.jpeg(20, 20)));
        assertThat(Uploads.json(plain).get("content").has("caption")).isFalse();
        MediaEndpointsTest.assertProblem(server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"cap-3\",\"content\":{\"contentType\":\"image\",\"value\":\"" + photo
                        + "\",\"caption\":\"" + "x".repeat(1_001) + "\"}}", parent.accessToken()), 400, "validation_failed");
        MediaEndpointsTest.assertProblem(server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"cap-4\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\","
                        + "\"caption\":\"no\"}}", parent.accessToken()), 400, "validation_failed");
    }

    @Test
    void onlyTheUploaderCanSendAMediaIdAndOnlyAsItsKind() {
        String parentsPhoto = upload(parent, TestImages.jpeg(40, 40));
        MediaEndpointsTest.assertProblem(send(therapist, conversationId, "steal-1", "image", parentsPhoto), 400,
                "validation_failed");
        MediaEndpointsTest.assertProblem(send(parent, conversationId, "kind-1", "video", parentsPhoto), 400,
                "validation_failed");
        MediaEndpointsTest.assertProblem(send(parent, conversationId, "unknown-1", "image", "AAAAAAAAAAAAAAAAAAAAAA"),
                400, "validation_failed");
        // the failed attempts let nobody see it
        assertThat(Uploads.link(server, therapist.accessToken(), parentsPhoto, null).statusCode()).isEqualTo(404);
    }

    /** docs/decisions/0052-one-message-per-upload.md: deleting one message must not erase another's photo. */
    @Test
    void anUploadIsSentInOneMessageOnlyAndAReplayGetsItsOriginal() {
        Session firstParent = TestAccounts.register(server, UserType.PARENT);
        Session secondParent = TestAccounts.register(server, UserType.PARENT);
        String first = open(therapist, firstParent);
        String second = open(therapist, secondParent);
        String photo = upload(therapist, TestImages.jpeg(30, 30));
        HttpResponse<String> sent = send(therapist, first, "once-1", "image", photo);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);

        HttpResponse<String> replay = send(therapist, first, "once-1", "image", photo);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(Uploads.json(replay).get("messageId").asString())
                .isEqualTo(Uploads.json(sent).get("messageId").asString());

        for (HttpResponse<String> again : List.of(send(therapist, second, "once-2", "image", photo),
                send(therapist, first, "once-3", "image", photo))) {
            MediaEndpointsTest.assertProblem(again, 409, "conflict");
            assertThat(Uploads.json(again).get("detail").asString())
                    .isEqualTo("this photo was already sent; upload it again to send it again");
        }
        assertThat(Uploads.link(server, secondParent.accessToken(), photo, null).statusCode()).isEqualTo(404);

        // The one message that carries it is deleted: the photo goes, and no other message showed it.
        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(server.uri("/api/v1/conversations/" + first
                + "/messages/" + Uploads.json(sent).get("messageId").asString()))
                .header("Authorization", "Bearer " + therapist.accessToken()).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(Uploads.json(deleted).get("content").has("caption")).isFalse();
        assertThat(Uploads.link(server, firstParent.accessToken(), photo, null).statusCode()).isEqualTo(404);
        // Sent again, uploaded again.
        String again = upload(therapist, TestImages.jpeg(30, 30));
        assertThat(send(therapist, second, "once-4", "image", again).statusCode()).isEqualTo(201);
    }

    @Test
    void sendingToOneTherapistDoesNotOpenItForAnother() {
        String otherConversation = open(parent, otherTherapist);
        String photo = upload(parent, TestImages.png(20, 20, false));
        assertThat(send(parent, otherConversation, "only-other-1", "image", photo).statusCode()).isEqualTo(201);
        assertThat(Uploads.link(server, otherTherapist.accessToken(), photo, null).statusCode()).isEqualTo(302);
        assertThat(Uploads.link(server, therapist.accessToken(), photo, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aPhotoSentOverTheWebSocketReachesThePeerWithItsMediaAndOpensForThem() {
        Session p = TestAccounts.register(server, UserType.PARENT);
        Session t = TestAccounts.register(server, UserType.THERAPIST);
        String conversation = open(p, t);
        String photo = upload(p, TestImages.jpegWithGps(200, 100, 1));
        String theirs = upload(t, TestImages.jpeg(20, 20));
        try (WsClient parentSocket = RealtimeClients.connect(server, p);
             WsClient therapistSocket = RealtimeClients.connect(server, t)) {
            parentSocket.sendJson("type", "send", "clientMessageId", "ws-photo-1", "conversationId", conversation,
                    "content", Map.of("contentType", "image", "value", photo, "caption", "over the socket"));
            JsonNode ack = parentSocket.await(n -> "ack".equals(n.path("type").asString()), Duration.ofSeconds(10));
            assertThat(ack.get("message").get("content").get("caption").asString()).isEqualTo("over the socket");
            assertThat(ack.get("message").get("media").get("mediaId").asString()).isEqualTo(photo);
            assertThat(ack.get("message").get("media").get("width").asInt()).isEqualTo(200);
            assertThat(ack.get("message").get("media").has("durationMs")).isFalse();
            JsonNode delivered = therapistSocket.await(n -> "message".equals(n.path("type").asString()),
                    Duration.ofSeconds(10));
            assertThat(delivered.get("message").get("media").get("contentType").asString()).isEqualTo("image/jpeg");
            assertThat(delivered.get("message").get("content").get("caption").asString()).isEqualTo("over the socket");
            assertThat(Uploads.link(server, t.accessToken(), photo, "original").statusCode()).isEqualTo(302);

            parentSocket.sendJson("type", "send", "clientMessageId", "ws-steal-1", "conversationId", conversation,
                    "content", Map.of("contentType", "image", "value", theirs));
            JsonNode error = parentSocket.await(n -> "error".equals(n.path("type").asString()), Duration.ofSeconds(10));
            assertThat(error.get("code").asString()).isEqualTo("validation_failed");
            assertThat(error.get("clientMessageId").asString()).isEqualTo("ws-steal-1");
        }
    }
}
