package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.chat.ChatEvent;
import chatapp.chat.ChatStore;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.PayloadApplicationEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conversations and messages over real HTTP on the one-machine shape (API.md "Endpoints"):
 * who may call what, the shapes, the 4xx answers, and the races a client can cause.
 */
class ChatEndpointsTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> open(Session caller, String peerId) {
        return server.post("/api/v1/conversations", "{\"peerId\":\"" + peerId + "\"}", caller == null ? null
                : caller.accessToken());
    }

    private static String conversation(Session a, Session b) {
        HttpResponse<String> r = open(a, b.userId());
        assertThat(r.statusCode()).isIn(200, 201);
        String c = json(r).get("conversationId").asString();
        // Consent (docs/security.md): the peer accepts, so that both may talk.
        assertThat(server.post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken()).statusCode())
                .isEqualTo(200);
        return c;
    }

    private static HttpResponse<String> send(Session caller, String conversationId, String clientMessageId, String text) {
        return server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":"
                        + JSON.writeValueAsString(text) + "}}", caller == null ? null : caller.accessToken());
    }

    private static JsonNode sent(Session caller, String conversationId, String text) {
        HttpResponse<String> r = send(caller, conversationId, "c" + System.nanoTime(), text);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private static HttpResponse<String> read(Session caller, String conversationId, String upTo) {
        return server.post("/api/v1/conversations/" + conversationId + "/read",
                "{\"upToMessageId\":\"" + upTo + "\"}", caller == null ? null : caller.accessToken());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(json(r).get("code").asString()).isEqualTo(code);
        assertThat(json(r).get("detail").asString()).isNotBlank();
    }

    @Test
    void everyEndpointAnswersAnonymous401StrangerNot404AndParticipant2xx() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        Session stranger = TestAccounts.register(server, UserType.PARENT);
        String c = conversation(parent, therapist);
        String messageId = sent(parent, c, "a private note about Sam").get("messageId").asString();
        String base = "/api/v1/conversations/" + c;

        record Call(String name, Function<Session, HttpResponse<String>> call, int participantStatus) {
        }
        List<Call> calls = List.of(
                new Call("POST /conversations", s -> open(s, s == parent ? therapist.userId() : parent.userId()), 200),
                new Call("GET /conversations", s -> server.get("/api/v1/conversations", token(s)), 200),
                new Call("GET /conversations/{id}", s -> server.get(base, token(s)), 200),
                new Call("GET /conversations/{id}/messages", s -> server.get(base + "/messages", token(s)), 200),
                new Call("GET /conversations/{id}/messages?after", s -> server.get(base + "/messages?after="
                        + messageId, token(s)), 200),
                new Call("POST /conversations/{id}/messages", s -> send(s, c, "matrix-" + (s == null ? "anon"
                        : s.username()), "hello"), 201),
                new Call("POST /conversations/{id}/read", s -> read(s, c, messageId), 200));
        for (Call call : calls) {
            assertProblem(call.call().apply(null), 401, "unauthorized");
            HttpResponse<String> participant = call.call().apply(therapist);
            assertThat(participant.statusCode()).as(call.name() + ": " + participant.body())
                    .isEqualTo(call.participantStatus());
            if (!call.name().startsWith("POST /conversations") || call.name().contains("{id}")) {
                if (call.name().equals("GET /conversations")) {
                    assertThat(json(server.get("/api/v1/conversations", stranger.accessToken())).get("items")).isEmpty();
                    continue;
                }
                HttpResponse<String> strangers = call.call().apply(stranger);
                assertProblem(strangers, 404, "not_found");
                assertThat(strangers.body()).as(call.name()).doesNotContain("private note").doesNotContain(messageId)
                        .doesNotContain(parent.userId()).doesNotContain(therapist.userId());
            }
        }
        // A stranger (a parent) opening a conversation with another parent learns nothing (404, as for
        // an unknown id); with the therapist it is their own.
        assertProblem(open(stranger, parent.userId()), 404, "not_found");
        assertThat(open(stranger, therapist.userId()).statusCode()).isEqualTo(201);
        assertThat(json(server.get(base + "/messages", therapist.accessToken())).get("items")).hasSize(2);
    }

    private static String token(Session s) {
        return s == null ? null : s.accessToken();
    }

    @Test
    void openIs201ThenTheSame200FromEitherSideWithThePeersPublicView() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> first = open(parent, therapist.userId());
        HttpResponse<String> fromPeer = open(therapist, parent.userId());
        HttpResponse<String> again = open(parent, therapist.userId());

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(fromPeer.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode c = json(first);
        assertThat(json(fromPeer).get("conversationId")).isEqualTo(c.get("conversationId"));
        // Consent (docs/security.md): the first open is a request; opening from the other side accepts it.
        assertThat(c.get("state").asString()).isEqualTo("requested");
        assertThat(json(again).get("state").asString()).isEqualTo("accepted");
        assertThat(json(again).get("conversationId")).isEqualTo(c.get("conversationId"));
        assertThat(json(again).get("peer")).isEqualTo(c.get("peer"));
        assertThat(c.get("peer").get("userId").asString()).isEqualTo(therapist.userId());
        assertThat(c.get("peer").get("userType").asString()).isEqualTo("therapist");
        assertThat(c.get("peer").has("email")).isFalse();
        assertThat(c.get("lastMessage").isNull()).isTrue();
        assertThat(c.get("unreadCount").asInt()).isZero();
        assertThat(c.get("updatedAt").asString()).matches(TIME);
        assertThat(json(fromPeer).get("peer").get("userId").asString()).isEqualTo(parent.userId());
        assertThat(first.body()).doesNotContain(therapist.email()).doesNotContain("password");

        assertProblem(open(parent, "no-such-user"), 404, "not_found");
        assertProblem(open(parent, TestAccounts.register(server, UserType.PARENT).userId()), 404, "not_found");
        Session otherTherapist = TestAccounts.register(server, UserType.THERAPIST);
        assertProblem(open(otherTherapist, therapist.userId()), 403, "forbidden");
        assertProblem(server.post("/api/v1/conversations", "{}", parent.accessToken()), 400, "validation_failed");
        assertProblem(server.post("/api/v1/conversations", "{\"peerId\":", parent.accessToken()), 400, "bad_request");
    }

    @Test
    void parallelOpensFromBothSidesMakeOneConversation() throws Exception {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        List<HttpResponse<String>> answers = parallel(12, i -> i % 2 == 0 ? open(parent, therapist.userId())
                : open(therapist, parent.userId()));
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200, 201);
        assertThat(answers.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(answers.stream().map(r -> json(r).get("conversationId").asString()).distinct()).hasSize(1);
        assertThat(json(server.get("/api/v1/conversations", parent.accessToken())).get("items")).hasSize(1);
    }

    @Test
    void aSendIs201WithTheStoredMessageAndARepeatIs200WithTheSameOneAlsoInParallel() throws Exception {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(parent, therapist);
        HttpResponse<String> first = send(parent, c, "client-1", "Hello 👋");
        HttpResponse<String> repeat = send(parent, c, "client-1", "Hello 👋");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(repeat.statusCode()).isEqualTo(200);
        JsonNode m = json(first);
        assertThat(json(repeat)).isEqualTo(m);
        assertThat(m.get("conversationId").asString()).isEqualTo(c);
        assertThat(m.get("senderId").asString()).isEqualTo(parent.userId());
        assertThat(m.get("recipientId").asString()).isEqualTo(therapist.userId());
        assertThat(m.get("createdAt").asString()).matches(TIME);
        assertThat(m.get("content").get("contentType").asString()).isEqualTo("text");
        assertThat(m.get("content").get("value").asString()).isEqualTo("Hello 👋");
        assertThat(m.get("clientMessageId").asString()).isEqualTo("client-1");
        assertThat(m.has("readAt")).isTrue();
        assertThat(m.get("readAt").isNull()).isTrue();
        assertThat(m.has("media")).isFalse();

        List<HttpResponse<String>> racing = parallel(8, i -> send(therapist, c, "same-client-id", "at once"));
        assertThat(racing.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(racing.stream().filter(r -> r.statusCode() == 200)).hasSize(7);
        assertThat(racing.stream().map(r -> json(r).get("messageId").asString()).distinct()).hasSize(1);
        assertThat(json(server.get("/api/v1/conversations/" + c + "/messages", parent.accessToken())).get("items"))
                .hasSize(2);
    }

    @Test
    void invalidInputIs400NamingTheField() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(parent, therapist);
        String messages = "/api/v1/conversations/" + c + "/messages";

        assertField(send(parent, c, "has space", "hi"), "clientMessageId");
        assertField(send(parent, c, "x".repeat(65), "hi"), "clientMessageId");
        assertField(send(parent, c, "ok", "x".repeat(10_001)), "content.value");
        assertThat(send(parent, c, "ok-max", "😀".repeat(10_000)).statusCode()).isEqualTo(201);
        assertField(send(parent, c, "ok", "   "), "content.value");
        assertField(server.post(messages, "{\"clientMessageId\":\"ok\"}", parent.accessToken()), "content");
        assertField(server.post(messages, "{\"clientMessageId\":\"ok\",\"content\":{\"contentType\":\"image\","
                + "\"value\":\"m1\"}}", parent.accessToken()), "content.value");
        assertThat(json(server.post(messages, "{\"clientMessageId\":\"ok\",\"content\":{\"contentType\":\"video\","
                + "\"value\":\"m1\"}}", parent.accessToken())).get("detail").asString()).contains("upload of yours");
        assertProblem(server.post(messages, "not json", parent.accessToken()), 400, "bad_request");
        assertField(server.get(messages + "?limit=0", parent.accessToken()), "limit");
        assertField(server.get(messages + "?limit=101", parent.accessToken()), "limit");
        assertField(server.get(messages + "?limit=ten", parent.accessToken()), "limit");
        assertField(server.get("/api/v1/conversations?limit=0", parent.accessToken()), "limit");
        assertField(server.get(messages + "?after=nonsense", parent.accessToken()), "after");
        assertProblem(server.get(messages + "?cursor=forged.cursor", parent.accessToken()), 400, "bad_cursor");
        assertProblem(server.get("/api/v1/conversations?cursor=forged.cursor", parent.accessToken()), 400, "bad_cursor");
        assertField(read(parent, c, "nonsense"), "upToMessageId");
        assertField(server.post("/api/v1/conversations/" + c + "/read", "{}", parent.accessToken()), "upToMessageId");
        assertProblem(read(parent, c, "000000000777-AAAAAAAA"), 404, "not_found");
        assertProblem(server.get("/api/v1/conversations/" + "x".repeat(300), parent.accessToken()), 404, "not_found");
        assertThat(json(server.get(messages, parent.accessToken())).get("items")).hasSize(1);
    }

    private static void assertField(HttpResponse<String> r, String field) {
        assertProblem(r, 400, "validation_failed");
        assertThat(json(r).get("errors").findValuesAsString("field")).as(r.body()).contains(field);
    }

    @Test
    void historyPagesNewestFirstByCursorAndCatchUpOldestFirstWithAfter() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(parent, therapist);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(sent(i % 2 == 0 ? parent : therapist, c, "message " + i).get("messageId").asString());
        }
        String messages = "/api/v1/conversations/" + c + "/messages";
        List<String> newestFirst = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(server.get(messages + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    parent.accessToken()));
            page.get("items").forEach(m -> newestFirst.add(m.get("messageId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(newestFirst).containsExactlyElementsOf(ids.reversed());

        JsonNode first = json(server.get(messages + "?limit=4&after=" + ids.getFirst(), therapist.accessToken()));
        List<String> oldestFirst = new ArrayList<>();
        first.get("items").forEach(m -> oldestFirst.add(m.get("messageId").asString()));
        JsonNode second = json(server.get(messages + "?limit=4&cursor=" + first.get("nextCursor").asString(),
                therapist.accessToken()));
        second.get("items").forEach(m -> oldestFirst.add(m.get("messageId").asString()));
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(oldestFirst).containsExactlyElementsOf(ids.subList(1, 7));
        // A cursor is the caller's own: the peer cannot use it.
        assertProblem(server.get(messages + "?cursor=" + first.get("nextCursor").asString(), parent.accessToken()),
                400, "bad_cursor");
    }

    @Test
    void readingMarksThePeersMessagesAndTheInboxShowsUnreadCountsMostRecentFirst() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session t1 = TestAccounts.register(server, UserType.THERAPIST);
        Session t2 = TestAccounts.register(server, UserType.THERAPIST);
        String c1 = conversation(parent, t1);
        String c2 = conversation(t2, parent);
        sent(t1, c1, "one");
        String last = sent(t1, c1, "two").get("messageId").asString();
        sent(t2, c2, "three");

        JsonNode inbox = json(server.get("/api/v1/conversations", parent.accessToken()));
        List<String> order = new ArrayList<>();
        inbox.get("items").forEach(item -> order.add(item.get("conversationId").asString()));
        assertThat(order).containsExactly(c2, c1);
        assertThat(inbox.get("items").get(1).get("unreadCount").asInt()).isEqualTo(2);
        assertThat(inbox.get("items").get(1).get("lastMessage").get("messageId").asString()).isEqualTo(last);
        assertThat(inbox.get("items").get(1).get("peer").get("userId").asString()).isEqualTo(t1.userId());
        assertThat(inbox.get("nextCursor").isNull()).isTrue();

        HttpResponse<String> receipt = read(parent, c1, last);
        assertThat(receipt.statusCode()).isEqualTo(200);
        JsonNode r = json(receipt);
        assertThat(r.get("conversationId").asString()).isEqualTo(c1);
        assertThat(r.get("upToMessageId").asString()).isEqualTo(last);
        assertThat(r.get("readAt").asString()).matches(TIME);
        assertThat(r.get("updated").asInt()).isEqualTo(2);
        assertThat(json(read(parent, c1, last)).get("updated").asInt()).isZero();
        assertThat(json(read(t1, c1, last)).get("updated").asInt()).as("the sender's own messages").isZero();

        JsonNode conversation = json(server.get("/api/v1/conversations/" + c1, parent.accessToken()));
        assertThat(conversation.get("unreadCount").asInt()).isZero();
        assertThat(conversation.get("lastMessage").get("readAt").asString()).isEqualTo(r.get("readAt").asString());
        assertThat(json(server.get("/api/v1/conversations/" + c2, parent.accessToken())).get("unreadCount").asInt())
                .isEqualTo(1);
    }

    @Test
    void aRestSendPublishesTheMessageAfterItIsDurableAndAReplayPublishesNothing() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        String c = conversation(parent, therapist);
        ChatStore store = server.context().getBean(ChatStore.class);
        List<ChatEvent> events = new CopyOnWriteArrayList<>();
        List<Boolean> storedWhenPublished = new CopyOnWriteArrayList<>();
        server.context().addApplicationListener((PayloadApplicationEvent<?> e) -> {
            if (e.getPayload() instanceof ChatEvent.MessageStored stored && stored.message().conversationId().equals(c)) {
                events.add(stored);
                storedWhenPublished.add(store.message(c, stored.message().messageId()).isPresent());
            }
        });
        JsonNode m = json(send(parent, c, "event-1", "hi"));
        send(parent, c, "event-1", "hi");

        assertThat(events).singleElement().satisfies(e -> assertThat(((ChatEvent.MessageStored) e).message().messageId())
                .isEqualTo(m.get("messageId").asString()));
        assertThat(storedWhenPublished).containsExactly(true);
    }

    private static <T> List<T> parallel(int n, Function<Integer, T> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(1, TimeUnit.MINUTES));
            }
            return results;
        }
    }
}
