package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two participants who happen to pick the same clientMessageId (clients choose them
 * independently): both messages are stored, and each sender's answer, also to a replay, is its
 * own message, never the other's.
 */
class SharedClientMessageIdTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void bothParticipantsMessagesAreStoredAndEachAckIsTheSendersOwn() {
        var parent = TestAccounts.register(server, UserType.PARENT);
        var therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> opened = server.post("/api/v1/conversations",
                "{\"peerId\":\"" + therapist.userId() + "\"}", parent.accessToken());
        String id = opened.body().replaceAll(".*\"conversationId\":\"([^\"]+)\".*", "$1");
        String path = "/api/v1/conversations/" + id + "/messages";
        String fromParent = "{\"clientMessageId\":\"1\",\"content\":{\"contentType\":\"text\",\"value\":\"from the parent\"}}";
        String fromTherapist = "{\"clientMessageId\":\"1\",\"content\":{\"contentType\":\"text\",\"value\":\"the therapist's reply\"}}";

        HttpResponse<String> first = server.post(path, fromParent, parent.accessToken());
        assertThat(first.statusCode()).isEqualTo(201);
        HttpResponse<String> second = server.post(path, fromTherapist, therapist.accessToken());
        assertThat(second.statusCode()).as("the peer's id is no conflict").isEqualTo(201);
        assertThat(second.body()).contains("the therapist's reply").contains("\"senderId\":\"" + therapist.userId() + "\"")
                .doesNotContain("from the parent");

        HttpResponse<String> parentReplay = server.post(path, fromParent, parent.accessToken());
        assertThat(parentReplay.statusCode()).as("the parent's own replay").isEqualTo(200);
        assertThat(messageId(parentReplay)).isEqualTo(messageId(first));
        HttpResponse<String> therapistReplay = server.post(path, fromTherapist, therapist.accessToken());
        assertThat(therapistReplay.statusCode()).as("the therapist's own replay").isEqualTo(200);
        assertThat(messageId(therapistReplay)).isEqualTo(messageId(second)).isNotEqualTo(messageId(first));

        HttpResponse<String> history = server.get(path, therapist.accessToken());
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body().split("\"messageId\"", -1)).as("exactly two messages").hasSize(3);
        assertThat(history.body()).contains(messageId(first)).contains(messageId(second))
                .contains("from the parent").contains("the therapist's reply");
    }

    private static String messageId(HttpResponse<String> r) {
        return r.body().replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void aQueryStringWithABrokenPercentEscapeIsA400() {
        var parent = TestAccounts.register(server, UserType.PARENT);
        // java.net.URI refuses such a URL, so the request goes over a plain socket.
        try (var socket = new java.net.Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.getOutputStream().write(("GET /api/v1/conversations?cursor=%%% HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + parent.accessToken() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
