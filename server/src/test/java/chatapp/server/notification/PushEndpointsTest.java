package chatapp.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.notification.LocalPushService;
import chatapp.notification.Notifications;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notification preferences and Web Push over real HTTP (docs/api.md, "Notifications"): the
 * preferences' defaults and validation, the subscription of a session and its end with the
 * session, and a message sent over REST reaching a local push service (VAPID checked, payload
 * decrypted, no text) only while the recipient has no open WebSocket. Abstract: run on each
 * store by {@link SqlitePushEndpointsTest} and {@link DynamoPushEndpointsTest}.
 */
abstract class PushEndpointsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static LocalPushService pushService;

    abstract RunningServer server();

    @BeforeAll
    static void pushService() {
        pushService = new LocalPushService();
    }

    @AfterAll
    static void stopPushService() {
        pushService.close();
    }

    HttpResponse<String> call(String method, String path, String json, Session s) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path)).header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (s != null) {
            b.header("Authorization", "Bearer " + s.accessToken());
        }
        return server().send(b.build());
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private String subscription(LocalPushService.Subscription s) {
        return "{\"endpoint\":\"" + s.endpoint() + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\"" + s.p256dh()
                + "\",\"auth\":\"" + s.auth() + "\"}}";
    }

    private void settle() {
        assertThat(server().context().getBean(Notifications.class).awaitIdle(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void preferencesStartAsTheDefaultsAndAreReplacedWhole() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> r = call("GET", "/api/v1/users/me/preferences", null, parent);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).isEqualTo(JSON.readTree("""
                {"push":true,"pushShowsSender":true,"email":true,"emailDelay":15,"timeZone":"UTC","quietFrom":null,
                 "quietUntil":null,"awayMessage":null,"hoursFrom":null,"hoursUntil":null,
                 "workDays":["MON","TUE","WED","THU","FRI"]}"""));
        String mine = """
                {"push":true,"pushShowsSender":false,"email":false,"emailDelay":60,"timeZone":"Europe/Oslo",
                 "quietFrom":"22:00","quietUntil":"07:00","awayMessage":null,"hoursFrom":null,"hoursUntil":null,
                 "workDays":["MON","TUE"]}""";
        r = call("PUT", "/api/v1/users/me/preferences", mine, parent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(call("GET", "/api/v1/users/me/preferences", null, parent))).isEqualTo(JSON.readTree(mine));
    }

    @Test
    void invalidPreferencesAre400NamingEachField() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> r = call("PUT", "/api/v1/users/me/preferences", """
                {"push":true,"pushShowsSender":true,"email":true,"emailDelay":0,"timeZone":"Mars/Olympus",
                 "quietFrom":"25:00","quietUntil":"07:00","awayMessage":"Back soon"}""", parent);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode problem = json(r);
        assertThat(problem.path("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.path("errors").valueStream().map(e -> e.path("field").asString()).toList())
                .contains("emailDelay", "timeZone", "quietFrom", "awayMessage");

        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        r = call("PUT", "/api/v1/users/me/preferences", """
                {"push":true,"pushShowsSender":true,"email":true,"emailDelay":15,"timeZone":"America/New_York",
                 "awayMessage":"I answer on weekdays 9-17.","hoursFrom":"09:00","hoursUntil":"17:00"}""", therapist);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("awayMessage").asString()).isEqualTo("I answer on weekdays 9-17.");
        r = call("PUT", "/api/v1/users/me/preferences", """
                {"push":true,"pushShowsSender":true,"email":true,"emailDelay":15,"timeZone":"UTC","hoursFrom":"09:00"}""",
                therapist);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("hoursUntil");
    }

    @Test
    void anAwayMessageFollowsTheTextRulesAndCountsCodePoints() {
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String prefix = "{\"push\":true,\"pushShowsSender\":true,\"email\":true,\"emailDelay\":15,\"timeZone\":\"UTC\","
                + "\"hoursFrom\":\"09:00\",\"hoursUntil\":\"17:00\",\"awayMessage\":";
        for (String bad : List.of("\"Away\\u0000\\u202eknil live\\u0007 \\u0085x\"", "\"Away \\u202eknil\"",
                "\"Away \\u0085x\"", "\"Away \\ud800x\"", "\"\\u200b\\u2060\"",
                "\"" + "\\ud83d\\ude00".repeat(501) + "\"")) {
            HttpResponse<String> r = call("PUT", "/api/v1/users/me/preferences", prefix + bad + "}", therapist);
            assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
            assertThat(json(r).path("errors").valueStream().map(e -> e.path("field").asString()).toList())
                    .containsExactly("awayMessage");
        }
        // 498 emoji and 2 more are 998 UTF-16 units but 500 characters: accepted; a line break is fine
        String fiveHundred = "\\ud83d\\ude00".repeat(498) + "\\n!";
        HttpResponse<String> r = call("PUT", "/api/v1/users/me/preferences", prefix + "\"" + fiveHundred + "\"}",
                therapist);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("awayMessage").asString()).hasSize(998);
    }

    @Test
    void theVapidKeyIsServedAndASessionsSubscriptionEndsWithTheSession() {
        HttpResponse<String> key = call("GET", "/api/v1/push/vapid-public-key", null,
                TestAccounts.register(server(), UserType.PARENT));
        assertThat(key.statusCode()).isEqualTo(200);
        String publicKey = json(key).path("publicKey").asString();
        assertThat(java.util.Base64.getUrlDecoder().decode(publicKey)).hasSize(65);

        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = conversation(parent, therapist);
        LocalPushService.Subscription phone = pushService.subscribe();
        assertThat(call("POST", "/api/v1/users/me/push-subscriptions", subscription(phone), parent).statusCode())
                .isEqualTo(204);
        assertThat(call("POST", "/api/v1/users/me/push-subscriptions",
                "{\"endpoint\":\"ftp://x\",\"keys\":{\"p256dh\":\"AAAA\",\"auth\":\"AAAA\"}}", parent).statusCode())
                .isEqualTo(400);

        send(therapist, c, "a private detail");
        settle();
        List<LocalPushService.Push> got = pushService.receivedBy(phone);
        assertThat(got).singleElement().satisfies(p -> {
            assertThat(p.failure()).isNull();
            assertThat(p.payload()).doesNotContain("private detail");
            assertThat(p.json().path("title").asString()).isEqualTo("New message from " + therapist.username());
            assertThat(p.json().path("conversationId").asString()).isEqualTo(c);
        });

        // Logging out ends the session, and the subscription with it.
        assertThat(call("POST", "/api/v1/auth/logout", "{\"refreshToken\":\"" + parent.refreshToken() + "\"}", parent)
                .statusCode()).isEqualTo(204);
        send(therapist, c, "after logout");
        settle();
        assertThat(pushService.receivedBy(phone)).hasSize(1);
    }

    @Test
    void noPushWhileTheRecipientHasAnOpenSocketAndNoneAfterUnsubscribing() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = conversation(parent, therapist);
        LocalPushService.Subscription laptop = pushService.subscribe();
        assertThat(call("POST", "/api/v1/users/me/push-subscriptions", subscription(laptop), parent).statusCode())
                .isEqualTo(204);
        try (WsClient ws = RealtimeClients.connect(server(), parent)) {
            ws.sendJson("type", "ping");
            assertThat(ws.next("pong")).isNotNull();
            send(therapist, c, "while the tab is open");
            assertThat(ws.next("message")).isNotNull();
            settle();
        }
        assertThat(pushService.receivedBy(laptop)).isEmpty();
        // Once the socket is closed its record goes; then the push goes out.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server().context().getBean(chatapp.realtime.Connections.class).of(parent.userId()).isEmpty()
                && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        send(therapist, c, "tab closed");
        settle();
        assertThat(pushService.receivedBy(laptop)).hasSize(1);

        assertThat(call("DELETE", "/api/v1/users/me/push-subscriptions", null, parent).statusCode()).isEqualTo(204);
        send(therapist, c, "unsubscribed");
        settle();
        assertThat(pushService.receivedBy(laptop)).hasSize(1);
    }

    @Test
    void deletingTheAccountRemovesItsPreferencesAndSubscriptions() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        assertThat(call("PUT", "/api/v1/users/me/preferences", """
                {"push":false,"pushShowsSender":true,"email":true,"emailDelay":15,"timeZone":"UTC"}""", parent)
                .statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/users/me/push-subscriptions", subscription(pushService.subscribe()), parent)
                .statusCode()).isEqualTo(204);
        chatapp.notification.NotificationStore store = server().context()
                .getBean(chatapp.notification.NotificationStore.class);
        assertThat(store.preferences(parent.userId())).isPresent();
        assertThat(store.pushSubscriptions(parent.userId())).hasSize(1);
        assertThat(call("DELETE", "/api/v1/users/me", "{\"password\":\"" + parent.password() + "\"}", parent)
                .statusCode()).isEqualTo(204);
        assertThat(store.preferences(parent.userId())).isEmpty();
        assertThat(store.pushSubscriptions(parent.userId())).isEmpty();
    }

    @Test
    void theDataExportHoldsThePreferencesAndWhichSessionsSubscribedButNoEndpoint() throws Exception {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        assertThat(call("PUT", "/api/v1/users/me/preferences", """
                {"push":true,"pushShowsSender":false,"email":true,"emailDelay":30,"timeZone":"Europe/Oslo"}""", parent)
                .statusCode()).isEqualTo(200);
        LocalPushService.Subscription phone = pushService.subscribe();
        assertThat(call("POST", "/api/v1/users/me/push-subscriptions", subscription(phone), parent).statusCode())
                .isEqualTo(204);
        String id = json(call("POST", "/api/v1/users/me/export", "", parent)).get("exportId").asString();
        JsonNode status = null;
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < until; ) {
            status = json(call("GET", "/api/v1/users/me/export/" + id, null, parent));
            if (!status.get("state").asString().matches("pending|running")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.get("state").asString()).isEqualTo("ready");
        byte[] zip = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server().uri("/").resolve(status.get("url").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        String notifications = null;
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("notifications.json")) {
                    notifications = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(notifications).isNotNull().doesNotContain(phone.endpoint()).doesNotContain(phone.auth());
        JsonNode n = JSON.readTree(notifications);
        assertThat(n.path("preferences").path("timeZone").asString()).isEqualTo("Europe/Oslo");
        assertThat(n.path("preferences").path("emailDelay").asInt()).isEqualTo(30);
        assertThat(n.path("pushSubscriptions")).hasSize(1);
    }

    private String conversation(Session parent, Session therapist) {
        HttpResponse<String> r = call("POST", "/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = json(r).get("conversationId").asString();
        assertThat(call("POST", "/api/v1/conversations/" + c + "/accept", "{}", therapist).statusCode()).isEqualTo(200);
        return c;
    }

    private void send(Session from, String c, String text) {
        HttpResponse<String> r = call("POST", "/api/v1/conversations/" + c + "/messages",
                "{\"clientMessageId\":\"c" + System.nanoTime() + "\",\"content\":{\"contentType\":\"text\",\"value\":"
                        + JSON.writeValueAsString(text) + "}}", from);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
