package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.chat.ChatService;
import chatapp.chat.Message;
import chatapp.realtime.Answers;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/protocol.md over a real socket: a client that sends without waiting for acks has its
 * sends pipelined (up to {@link Answers#WINDOW} in flight), stored and acked in frame order with
 * its other answers in between; a client that closes with sends in flight loses none it was
 * acked and gets none twice.
 */
class GatewayPipelineTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RunningServer server = new RunningServer(
            "--chatapp.limits.messages-per-minute=100000", "--chatapp.limits.message-burst=10000",
            "--chatapp.websocket.frames-per-second=10000", "--chatapp.websocket.frame-burst=10000");

    private record Pair(Session parent, Session therapist, String conversationId) {
    }

    private static Pair pair() {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> r = server.post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String c = JSON.readTree(r.body()).path("conversationId").asString();
        HttpResponse<String> accepted = server.post("/api/v1/conversations/" + c + "/accept", "{}",
                therapist.accessToken());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        return new Pair(parent, therapist, c);
    }

    private static String send(String conversationId, String clientMessageId) {
        return JSON.writeValueAsString(JSON.createObjectNode().put("type", "send").put("clientMessageId", clientMessageId)
                .put("conversationId", conversationId)
                .set("content", JSON.createObjectNode().put("contentType", "text").put("value", "note " + clientMessageId)));
    }

    /** The conversation's messages, oldest first, as the parent's history pages them. */
    private static List<Message> history(Pair p) {
        ChatService chat = server.context().getBean(ChatService.class);
        List<Message> all = new ArrayList<>();
        for (String cursor = null; ; ) {
            var page = chat.history(p.parent().userId(), p.conversationId(), 100, cursor, null);
            all.addAll(page.items());
            if ((cursor = page.nextCursor()) == null) {
                break;
            }
        }
        return all.reversed();
    }

    @Test
    void sendsWithoutWaitingAreStoredAndAnsweredInFrameOrder() {
        Pair p = pair();
        int n = 300;
        try (WsClient parent = RealtimeClients.connect(server, p.parent());
                WsClient therapist = RealtimeClients.connect(server, p.therapist())) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String cmid = i % 50 == 49 ? "m-" + (i - 1) : "m-" + i; // a repeat in flight now and then
                parent.send(send(p.conversationId(), cmid));
                expected.add(cmid);
                if (i % 100 == 0) {
                    parent.send("{\"type\":\"ping\"}");
                    expected.add("pong");
                }
                if (i == 150) {
                    parent.send(send(p.conversationId(), "")); // refused: answered in its place
                    expected.add("error");
                }
            }
            List<String> answered = new ArrayList<>();
            List<String> ackedIds = new ArrayList<>();
            while (answered.size() < expected.size()) {
                JsonNode a = parent.next();
                switch (a.path("type").asString()) {
                    case "ack" -> {
                        answered.add(a.path("clientMessageId").asString());
                        ackedIds.add(a.path("message").path("messageId").asString());
                    }
                    case "pong" -> answered.add("pong");
                    case "error" -> answered.add("error");
                    case "presence" -> {
                        // the therapist's connection came online: an event, not an answer
                    }
                    default -> throw new AssertionError("unexpected " + a);
                }
            }
            assertThat(answered).as("every answer in frame order").containsExactlyElementsOf(expected);

            List<String> distinct = expected.stream().filter(s -> s.startsWith("m-")).distinct().toList();
            List<Message> stored = history(p);
            assertThat(stored.stream().map(Message::clientMessageId).toList())
                    .as("stored once each, in frame order").containsExactlyElementsOf(distinct);
            assertThat(stored.stream().map(Message::messageId).toList())
                    .containsExactlyElementsOf(ackedIds.stream().distinct().toList());

            List<String> heard = new ArrayList<>();
            while (heard.size() < distinct.size()) {
                JsonNode f = therapist.next();
                if ("message".equals(f.path("type").asString())) {
                    heard.add(f.path("message").path("clientMessageId").asString());
                }
            }
            assertThat(heard).as("the peer hears of them in commit order").containsExactlyElementsOf(distinct);
        }
    }

    @Test
    void aClientThatClosesWithSendsInFlightLosesNoAckedMessageAndGetsNoneTwice() throws Exception {
        Pair p = pair();
        int n = 200;
        List<String> frames = new ArrayList<>();
        Set<String> acked = new HashSet<>();
        try (WsClient parent = RealtimeClients.connect(server, p.parent())) {
            for (int i = 0; i < n; i++) {
                parent.send(send(p.conversationId(), "c-" + i));
                frames.add("c-" + i);
            }
            for (JsonNode a : parent.drain()) {
                if ("ack".equals(a.path("type").asString())) {
                    acked.add(a.path("clientMessageId").asString());
                }
            }
        } // closes with sends in flight (the server reads the close after the frames before it)
        Thread.sleep(Duration.ofSeconds(1));

        List<String> stored = history(p).stream().map(Message::clientMessageId).toList();
        assertThat(stored).as("no message twice").doesNotHaveDuplicates();
        assertThat(stored).as("every acked message is stored").containsAll(acked);
        assertThat(stored).as("what is stored is the first frames, in order")
                .containsExactlyElementsOf(frames.subList(0, stored.size()));

        // The client comes back and sends them all again: each is stored once.
        try (WsClient again = RealtimeClients.connect(server, p.parent())) {
            for (String cmid : frames) {
                again.send(send(p.conversationId(), cmid));
            }
            for (String cmid : frames) {
                JsonNode a = again.next("ack");
                assertThat(a.path("clientMessageId").asString()).isEqualTo(cmid);
            }
        }
        assertThat(history(p).stream().map(Message::clientMessageId).toList()).containsExactlyElementsOf(frames);
    }
}
