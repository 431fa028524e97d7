package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.SessionStore;
import chatapp.account.UserType;
import chatapp.realtime.CloseReason;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.account.TestAccounts;
import chatapp.media.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.Base64;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events of API.md ("Real-time WebSocket") between real users over real sockets: who gets
 * {@code ack}, {@code message}, {@code read}, {@code typing} and {@code presence}, for frames and
 * for the same actions over REST; ack only after the message is durable; idempotent resends.
 * The same for both real-time shapes: {@link RealtimeEventsTest} (the built-in gateway) and
 * {@code chatapp.apigatewaylocal.ApiGatewayRealtimeEventsTest} (API Gateway and the Lambda
 * handlers, through the local harness, on DynamoDB).
 */
public abstract class RealtimeEventsContract {

    /** The server of the shape under test; its tickets name the WebSocket URL of that shape. */
    protected abstract RunningServer server();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration QUIET = Duration.ofMillis(400);

    /** A new parent and therapist and the conversation the parent opened with the therapist. */
    private record Pair(Session parent, Session therapist, String conversationId) {
    }

    private Pair pair() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        HttpResponse<String> r = server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String c = JSON.readTree(r.body()).path("conversationId").asString();
        // Consent (docs/security.md): events flow once the therapist accepts.
        HttpResponse<String> accepted = server().post("/api/v1/conversations/" + c + "/accept", "{}",
                therapist.accessToken());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return new Pair(parent, therapist, c);
    }

    private static String send(String conversationId, String clientMessageId, String text) {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "send").put("clientMessageId", clientMessageId)
                .put("conversationId", conversationId)
                .set("content", JSON.createObjectNode().put("contentType", "text").put("value", text)));
    }

    private static void quiet(WsClient... clients) {
        for (WsClient c : clients) {
            c.expectNothing(QUIET);
        }
    }

    private static void assertPresence(JsonNode frame, Session who, boolean online) {
        assertThat(frame.path("type").asString()).isEqualTo("presence");
        assertThat(frame.path("userId").asString()).isEqualTo(who.userId());
        assertThat(frame.path("online").asBoolean()).isEqualTo(online);
        assertThat(Duration.between(Instant.parse(frame.path("lastSeenAt").asString()), Instant.now()).abs())
                .isLessThan(Duration.ofMinutes(1));
    }

    /**
     * A photo sent over the socket (as the web client sends every message while its socket is
     * open): acknowledged with its media, delivered to the peer, and downloadable by the peer.
     */
    @Test
    void aPhotoSentOverTheSocketIsAcknowledgedDeliveredAndOpenToThePeer() throws Exception {
        Pair pair = pair();
        HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server().uri("/api/v1/media"))
                .header("Authorization", "Bearer " + pair.parent().accessToken())
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.jpeg(64, 48))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String mediaId = JSON.readTree(upload.body()).path("mediaId").asString();

        try (WsClient p = RealtimeClients.connect(server(), pair.parent());
                WsClient t = RealtimeClients.connect(server(), pair.therapist())) {
            p.send(JSON.writeValueAsString(JSON.createObjectNode().put("type", "send").put("clientMessageId", "photo-1")
                    .put("conversationId", pair.conversationId())
                    .set("content", JSON.createObjectNode().put("contentType", "image").put("value", mediaId))));
            // (presence frames of the two coming online may arrive first)
            JsonNode message = p.await(f -> f.path("type").asString().equals("ack"), Duration.ofSeconds(10))
                    .path("message");
            assertThat(message.path("content").path("contentType").asString()).isEqualTo("image");
            assertThat(message.path("media").path("mediaId").asString()).isEqualTo(mediaId);
            assertThat(t.await(f -> f.path("type").asString().equals("message"), Duration.ofSeconds(10))
                    .path("message")).isEqualTo(message);
        }
        HttpResponse<String> link = server().get("/api/v1/media/" + mediaId, pair.therapist().accessToken());
        assertThat(link.statusCode()).as("the peer may open the photo").isEqualTo(302);
    }

    /**
     * Issue 19, finding 2: opening a conversation gave the opener the peer's presence, typing and
     * read receipts with no consent. Now a request tells both ({@code conversation} frames) and
     * nothing else flows either way until the recipient accepts.
     */
    @Test
    void beforeAcceptanceNoPresenceTypingOrReadFlowsEitherWayAndConversationFramesTellBoth() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        try (WsClient t1 = RealtimeClients.connect(server(), therapist)) {
            WsClient p1 = RealtimeClients.connect(server(), parent);
            quiet(t1, p1);

            HttpResponse<String> opened = server().post("/api/v1/conversations",
                    "{\"peerId\":\"" + parent.userId() + "\"}", therapist.accessToken());
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
            String c = JSON.readTree(opened.body()).path("conversationId").asString();
            JsonNode mine = t1.next("conversation").path("conversation");
            assertThat(mine.path("conversationId").asString()).isEqualTo(c);
            assertThat(mine.path("state").asString()).isEqualTo("requested");
            assertThat(mine.path("requestedBy").asString()).isEqualTo(therapist.userId());
            assertThat(mine.path("peer").path("userId").asString()).isEqualTo(parent.userId());
            JsonNode theirs = p1.next("conversation").path("conversation");
            assertThat(theirs.path("state").asString()).isEqualTo("requested");
            assertThat(theirs.path("peer").path("userId").asString()).isEqualTo(therapist.userId());
            assertThat(theirs.path("peer").has("email")).isFalse();
            quiet(t1, p1);

            // The introduction reaches the recipient; a read receipt waits for acceptance.
            t1.send(send(c, "intro", "Hello, I am the speech therapist"));
            String intro = t1.next("ack").path("message").path("messageId").asString();
            assertThat(p1.next("message").path("message").path("messageId").asString()).isEqualTo(intro);
            p1.sendJson("type", "read", "conversationId", c, "upToMessageId", intro);
            assertThat(p1.next("error").path("code").asString()).isEqualTo("conflict");
            quiet(t1, p1);

            // Typing is refused both ways with an error frame; nothing reaches the other side.
            t1.sendJson("type", "typing", "conversationId", c);
            JsonNode refused = t1.next("error");
            assertThat(refused.path("code").asString()).isEqualTo("conflict");
            assertThat(refused.path("detail").asString()).contains("waiting for");
            p1.sendJson("type", "typing", "conversationId", c);
            assertThat(p1.next("error").path("code").asString()).isEqualTo("conflict");
            // A second message waits for acceptance.
            t1.send(send(c, "again", "Are you there?"));
            assertThat(t1.next("error").path("code").asString()).isEqualTo("conflict");
            quiet(t1, p1);

            // Presence: the recipient comes and goes unseen, and sees nothing of the requester.
            p1.close();
            quiet(t1);
            p1 = RealtimeClients.connect(server(), parent);
            quiet(t1, p1);

            // Acceptance tells both; from then on typing and presence flow.
            HttpResponse<String> accepted = server().post("/api/v1/conversations/" + c + "/accept", "{}",
                    parent.accessToken());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(t1.next("conversation").path("conversation").path("state").asString()).isEqualTo("accepted");
            assertThat(p1.next("conversation").path("conversation").path("state").asString()).isEqualTo("accepted");
            t1.sendJson("type", "typing", "conversationId", c);
            assertThat(p1.next("typing").path("userId").asString()).isEqualTo(therapist.userId());
            p1.close();
            assertPresence(t1.next(), parent, false);
        }
    }

    // ------------------------------------------------------------------ sessions end everywhere (issue 19)

    /** Within "a second or two" of the issue: the process that ends a session closes its sockets at once. */
    private static final Duration SOON = Duration.ofSeconds(2);
    /** Another process notices within Sessions.LIVENESS_TTL (5 s) plus its check; docs/security.md. */
    private static final Duration ELSEWHERE = Duration.ofSeconds(10);

    private boolean builtin() {
        return "builtin".equals(server().context().getEnvironment().getProperty("chatapp.realtime", "builtin"));
    }

    /**
     * The server closed {@code ws} for {@code reason} within {@code wait}: on the built-in gateway
     * with its close code (docs/protocol.md); on API Gateway, which sends no close code of ours,
     * after an {@code error} frame naming it.
     */
    private void assertClosedFor(WsClient ws, CloseReason reason, Duration wait) {
        if (builtin()) {
            WsClient.Closed closed = ws.closed(wait);
            assertThat(closed.code()).isEqualTo(reason.code());
            assertThat(closed.reason()).isEqualTo(reason.reason());
        } else {
            JsonNode error = ws.await(f -> f.path("type").asString().equals("error"), wait);
            assertThat(error.path("code").asString()).isEqualTo(reason.errorCode());
            ws.closed(wait);
        }
    }

    private static void assertOpen(WsClient ws) {
        ws.sendJson("type", "ping");
        ws.next("pong");
        assertThat(ws.isClosed()).isFalse();
    }

    private int handshake(URI ticketUrl) {
        try {
            WsClient.connect(ticketUrl, null).close();
            return 101;
        } catch (RuntimeException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    private int me(Session s) {
        return server().get("/api/v1/users/me", s.accessToken()).statusCode();
    }

    /** The session an access token names (its {@code sid} claim). */
    private static String sessionId(Session s) {
        String payload = new String(Base64.getUrlDecoder().decode(s.accessToken().split("\\.")[1]));
        return JSON.readTree(payload).path("sid").asString();
    }

    @Test
    void logoutClosesThatSessionsSocketsAndRefusesItsTokenAndTickets() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session otherDevice = TestAccounts.login(server(), parent);
        try (WsClient ws = RealtimeClients.connect(server(), parent);
             WsClient other = RealtimeClients.connect(server(), otherDevice)) {
            URI unspent = RealtimeClients.ticketUrl(server(), parent);
            HttpResponse<String> out = server().post("/api/v1/auth/logout",
                    "{\"refreshToken\":\"" + parent.refreshToken() + "\"}", parent.accessToken());
            assertThat(out.statusCode()).isEqualTo(204);
            assertThat(me(parent)).as("the old access token, at once").isEqualTo(401);

            assertClosedFor(ws, CloseReason.SESSION_ENDED, SOON);
            assertThat(server().post("/api/v1/realtime/tickets", "", parent.accessToken()).statusCode()).isEqualTo(401);
            assertThat(handshake(unspent)).as("a ticket issued before logout").isEqualTo(401);
            assertThat(me(otherDevice)).isEqualTo(200);
            assertOpen(other);
        }
    }

    @Test
    void aPasswordChangeClosesTheOtherSessionsSocketsAndKeepsTheCallers() {
        Session here = TestAccounts.register(server(), UserType.THERAPIST);
        Session phone = TestAccounts.login(server(), here);
        try (WsClient hereWs = RealtimeClients.connect(server(), here);
             WsClient phoneWs = RealtimeClients.connect(server(), phone)) {
            HttpResponse<String> r = server().send(java.net.http.HttpRequest.newBuilder(server().uri("/api/v1/users/me"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + here.accessToken())
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\""
                            + TestAccounts.PASSWORD + "-2\",\"currentPassword\":\"" + TestAccounts.PASSWORD + "\"}"))
                    .build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertClosedFor(phoneWs, CloseReason.SESSION_ENDED, SOON);
            assertThat(me(phone)).isEqualTo(401);
            assertOpen(hereWs);
            assertThat(me(here)).isEqualTo(200);
        }
    }

    @Test
    void aSessionEndedByAnotherProcessIsNoticedWithinSeconds() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        try (WsClient ws = RealtimeClients.connect(server(), parent)) {
            assertThat(me(parent)).isEqualTo(200); // this process now trusts "live" for a while
            // Another server process ends it: straight in the store, without this process's fan-out.
            assertThat(server().context().getBean(SessionStore.class).revokeSession(parent.userId(), sessionId(parent)))
                    .isTrue();
            long deadline = System.nanoTime() + ELSEWHERE.toNanos();
            while (!ws.isClosed() && System.nanoTime() < deadline) {
                // The built-in gateway's check closes it on its own; on API Gateway, $default
                // refuses the next frame of an ended session.
                try {
                    ws.sendJson("type", "ping");
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
                sleep(Duration.ofMillis(500));
            }
            assertClosedFor(ws, CloseReason.SESSION_ENDED, Duration.ofSeconds(1));
            while (me(parent) != 401 && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(200));
            }
            assertThat(me(parent)).as("the access token, within the liveness TTL").isEqualTo(401);
        }
    }

    @Test
    void pastTheCapOfTenSocketsTheUsersOldestIsClosed() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(RealtimeClients.connect(server(), parent));
                sleep(Duration.ofMillis(5)); // distinct connectedAt
            }
            open.add(RealtimeClients.connect(server(), parent));
            assertClosedFor(open.getFirst(), CloseReason.TOO_MANY_CONNECTIONS, SOON);
            for (WsClient ws : open.subList(1, open.size())) {
                assertOpen(ws);
            }
        } finally {
            open.forEach(WsClient::close);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoUsersWithTwoConnectionsEachSeeExactlyTheEventsApiMdPromises() {
        Pair pair = pair();
        Session parent = pair.parent();
        Session therapist = pair.therapist();
        String conversationId = pair.conversationId();

        try (WsClient p1 = RealtimeClients.connect(server(), parent)) {
            quiet(p1); // no peer online yet
            WsClient t1 = RealtimeClients.connect(server(), therapist);
            assertPresence(t1.next(), parent, true); // who is online, right after hello
            assertPresence(p1.next(), therapist, true); // the therapist's first connection
            WsClient p2 = RealtimeClients.connect(server(), parent);
            assertPresence(p2.next(), therapist, true);
            WsClient t2 = RealtimeClients.connect(server(), therapist);
            assertPresence(t2.next(), parent, true);
            quiet(p1, t1, p2); // second connections are no presence change

            // send over WebSocket: ack to the sending connection, message to everyone else.
            p1.send(send(conversationId, "c-1", "Hello from the parent"));
            JsonNode ack = p1.next("ack");
            assertThat(ack.path("clientMessageId").asString()).isEqualTo("c-1");
            JsonNode message = ack.path("message");
            assertThat(message.path("senderId").asString()).isEqualTo(parent.userId());
            assertThat(message.path("recipientId").asString()).isEqualTo(therapist.userId());
            assertThat(message.path("conversationId").asString()).isEqualTo(conversationId);
            assertThat(message.path("content").path("value").asString()).isEqualTo("Hello from the parent");
            assertThat(message.path("clientMessageId").asString()).isEqualTo("c-1");
            assertThat(message.path("readAt").isNull()).isTrue();
            for (WsClient other : List.of(p2, t1, t2)) {
                assertThat(other.next("message").path("message")).isEqualTo(message);
            }
            quiet(p1, p2, t1, t2);

            // read over WebSocket: to the peer's connections and the reader's other connection.
            String messageId = message.path("messageId").asString();
            t1.sendJson("type", "read", "conversationId", conversationId, "upToMessageId", messageId);
            for (WsClient other : List.of(p1, p2, t2)) {
                JsonNode read = other.next("read");
                assertThat(read.path("conversationId").asString()).isEqualTo(conversationId);
                assertThat(read.path("readerId").asString()).isEqualTo(therapist.userId());
                assertThat(read.path("upToMessageId").asString()).isEqualTo(messageId);
                assertThat(read.path("readAt").asString()).matches(".*\\.\\d{3}Z");
            }
            quiet(t1);

            // typing: to the peer's connections only.
            t2.sendJson("type", "typing", "conversationId", conversationId);
            for (WsClient other : List.of(p1, p2)) {
                JsonNode typing = other.next("typing");
                assertThat(typing.path("conversationId").asString()).isEqualTo(conversationId);
                assertThat(typing.path("userId").asString()).isEqualTo(therapist.userId());
            }
            quiet(t1, t2);

            // The same actions over REST reach every connection of both users.
            HttpResponse<String> rest = server().post("/api/v1/conversations/" + conversationId + "/messages",
                    "{\"clientMessageId\":\"t-1\",\"content\":{\"contentType\":\"text\",\"value\":\"Hello back\"}}",
                    therapist.accessToken());
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(201);
            String restMessageId = JSON.readTree(rest.body()).path("messageId").asString();
            for (WsClient each : List.of(p1, p2, t1, t2)) {
                assertThat(each.next("message").path("message").path("messageId").asString()).isEqualTo(restMessageId);
            }
            HttpResponse<String> restRead = server().post("/api/v1/conversations/" + conversationId + "/read",
                    "{\"upToMessageId\":\"" + restMessageId + "\"}", parent.accessToken());
            assertThat(restRead.statusCode()).as(restRead.body()).isEqualTo(200);
            for (WsClient each : List.of(p1, p2, t1, t2)) {
                JsonNode read = each.next("read");
                assertThat(read.path("readerId").asString()).isEqualTo(parent.userId());
                assertThat(read.path("upToMessageId").asString()).isEqualTo(restMessageId);
            }
            quiet(p1, p2, t1, t2);

            // Presence: the therapist goes offline when the last of the two connections closes.
            t2.close();
            quiet(p1, p2);
            t1.close();
            assertPresence(p1.next(), therapist, false);
            assertPresence(p2.next(), therapist, false);
            p2.close();
            quiet(p1);
        }
    }

    @Test
    void theAckComesOnlyWhenTheMessageIsDurableAndReadableOverRest() {
        Pair pair = pair();
        Session parent = pair.parent();
        Session therapist = pair.therapist();
        String conversationId = pair.conversationId();
        try (WsClient p = RealtimeClients.connect(server(), parent)) {
            for (int i = 0; i < 20; i++) {
                p.send(send(conversationId, "durable-" + i, "message " + i));
                JsonNode acked = p.next("ack").path("message");
                // The moment the ack arrives, the message is there for anyone who asks, in the same shape.
                HttpResponse<String> history = server().get("/api/v1/conversations/" + conversationId
                        + "/messages?limit=1", therapist.accessToken());
                assertThat(history.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(history.body()).path("items").get(0)).isEqualTo(acked);
            }
        }
    }

    @Test
    void aResendWithTheSameClientMessageIdOverANewConnectionIsAckedWithTheOriginalAndStoredOnce() {
        Pair pair = pair();
        Session parent = pair.parent();
        Session therapist = pair.therapist();
        String conversationId = pair.conversationId();
        String clientMessageId = UUID.randomUUID().toString();
        try (WsClient t = RealtimeClients.connect(server(), therapist)) {
            JsonNode original;
            try (WsClient first = RealtimeClients.connect(server(), parent)) {
                assertPresence(t.next(), parent, true);
                assertPresence(first.next(), therapist, true);
                first.send(send(conversationId, clientMessageId, "Are we still on for Tuesday?"));
                original = first.next("ack").path("message");
                assertThat(t.next("message").path("message")).isEqualTo(original);
            }
            assertPresence(t.next(), parent, false);

            try (WsClient again = RealtimeClients.connect(server(), parent)) {
                assertPresence(t.next(), parent, true);
                assertPresence(again.next(), therapist, true);
                again.send(send(conversationId, clientMessageId, "Are we still on for Tuesday?"));
                JsonNode ack = again.next("ack");
                assertThat(ack.path("clientMessageId").asString()).isEqualTo(clientMessageId);
                assertThat(ack.path("message")).isEqualTo(original);
                t.expectNothing(QUIET); // no second message event
            }
        }
        JsonNode items = JSON.readTree(server().get("/api/v1/conversations/" + conversationId + "/messages",
                parent.accessToken()).body()).path("items");
        assertThat(items.size()).isEqualTo(1);
    }

    @Test
    void refusedFramesGetTheContractsErrorCodesAndTheConnectionStaysOpen() {
        Pair pair = pair();
        Session parent = pair.parent();
        Session therapist = pair.therapist();
        String conversationId = pair.conversationId();
        Session stranger = TestAccounts.register(server(), UserType.THERAPIST);
        try (WsClient s = RealtimeClients.connect(server(), stranger); WsClient t = RealtimeClients.connect(server(), therapist)) {
            s.send(send(conversationId, "s-1", "let me in"));
            JsonNode notYours = s.next("error");
            assertThat(notYours.path("code").asString()).isEqualTo("not_found");
            assertThat(notYours.path("clientMessageId").asString()).isEqualTo("s-1");

            t.send(send(conversationId, "t-blank", "   "));
            JsonNode blank = t.next("error");
            assertThat(blank.path("code").asString()).isEqualTo("validation_failed");
            assertThat(blank.path("clientMessageId").asString()).isEqualTo("t-blank");
            assertThat(blank.path("detail").asString()).isNotBlank();

            s.sendJson("type", "typing", "conversationId", conversationId);
            JsonNode typing = s.next("error");
            assertThat(typing.path("code").asString()).isEqualTo("not_found");
            assertThat(typing.has("clientMessageId")).isFalse();

            s.sendJson("type", "read", "conversationId", conversationId, "upToMessageId", "nope");
            assertThat(s.next("error").path("code").asString()).isIn("validation_failed", "not_found");

            t.send("{\"type\":\"ping\"}");
            assertThat(t.next().path("type").asString()).isEqualTo("pong");
            quiet(s, t);
        }
        JsonNode items = JSON.readTree(server().get("/api/v1/conversations/" + conversationId + "/messages",
                parent.accessToken()).body()).path("items");
        assertThat(items.size()).as("nothing stored").isZero();
    }

    @Test
    void typingIsThrottledNotQueued() {
        Pair pair = pair();
        Session parent = pair.parent();
        Session therapist = pair.therapist();
        String conversationId = pair.conversationId();
        try (WsClient t = RealtimeClients.connect(server(), therapist)) {
            WsClient p = RealtimeClients.connect(server(), parent);
            assertPresence(p.next(), therapist, true);
            assertPresence(t.next(), parent, true);
            for (int i = 0; i < 5; i++) {
                p.sendJson("type", "typing", "conversationId", conversationId);
            }
            t.next("typing");
            t.expectNothing(Duration.ofMillis(1500));
            p.close();
        }
    }
}
