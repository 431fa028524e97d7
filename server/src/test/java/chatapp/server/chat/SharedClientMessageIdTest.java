package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two participants who happen to pick the same clientMessageId: the second must not be told
 * that its message was stored when the answer is the other participant's message.
 */
class SharedClientMessageIdTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void thePeersClientMessageIdIsAConflictNotTheirMessage() {
        var parent = TestAccounts.register(server, UserType.PARENT);
        var therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> opened = server.post("/api/v1/conversations",
                "{\"peerId\":\"" + therapist.userId() + "\"}", parent.accessToken());
        String id = opened.body().replaceAll(".*\"conversationId\":\"([^\"]+)\".*", "$1");
        String path = "/api/v1/conversations/" + id + "/messages";

        assertThat(server.post(path, "{\"clientMessageId\":\"1\",\"content\":{\"contentType\":\"text\",\"value\":\"from the parent\"}}",
                parent.accessToken()).statusCode()).isEqualTo(201);
        HttpResponse<String> clash = server.post(path,
                "{\"clientMessageId\":\"1\",\"content\":{\"contentType\":\"text\",\"value\":\"the therapist's reply\"}}",
                therapist.accessToken());

        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(clash.body()).contains("\"code\":\"conflict\"").contains("not stored").doesNotContain("from the parent");
        assertThat(server.post(path, "{\"clientMessageId\":\"1\",\"content\":{\"contentType\":\"text\",\"value\":\"from the parent\"}}",
                parent.accessToken()).statusCode()).as("the parent's own replay").isEqualTo(200);
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
