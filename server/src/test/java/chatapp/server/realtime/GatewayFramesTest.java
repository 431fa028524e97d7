package chatapp.server.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.core.Ids;
import chatapp.realtime.Tickets;
import chatapp.server.RunningServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The frame rules of API.md over real sockets: ping, malformed and unknown frames (answered,
 * connection kept; binary frames too), and the closes: too many bad frames or frames (1008),
 * over 64 KiB (1009).
 */
class GatewayFramesTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer(
            "--chatapp.websocket.frames-per-second=5", "--chatapp.websocket.frame-burst=20",
            "--chatapp.websocket.bad-frames-per-minute=5");

    private static WsClient connect() {
        String ticket = server.context().getBean(Tickets.class).issue("user-" + Ids.random()).ticket();
        WsClient c = WsClient.connect(URI.create(server.uri("/ws").toString().replaceFirst("^http", "ws")
                + "?ticket=" + ticket), null);
        c.next("hello");
        return c;
    }

    @Test
    void pingIsAnsweredByPong() {
        try (WsClient c = connect()) {
            c.send("{\"type\":\"ping\"}");
            assertThat(c.next().toString()).isEqualTo("{\"type\":\"pong\"}");
        }
    }

    @Test
    void malformedAndUnknownFramesGetBadFrameAndTheConnectionStaysOpen() {
        try (WsClient c = connect()) {
            for (String bad : new String[] {"not json", "[1,2]", "{\"type\":\"dance\"}", "{\"kind\":\"ping\"}"}) {
                c.send(bad);
                JsonNode error = c.next("error");
                assertThat(error.path("code").asString()).as(bad).isEqualTo("bad_frame");
                assertThat(error.path("detail").asString()).as(bad).isNotBlank();
                assertThat(error.has("clientMessageId")).as(bad).isFalse();
            }
            c.send("{\"type\":\"ping\"}");
            assertThat(c.next().path("type").asString()).isEqualTo("pong");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void aSendWithoutContentNamesItsClientMessageIdInTheError() {
        try (WsClient c = connect()) {
            c.sendJson("type", "send", "clientMessageId", "c-1", "conversationId", "x");
            JsonNode error = c.next("error");
            assertThat(error.path("code").asString()).isEqualTo("bad_frame");
            assertThat(error.path("clientMessageId").asString()).isEqualTo("c-1");
            assertThat(error.path("detail").asString()).contains("content");

            c.sendJson("type", "send", "conversationId", "x");
            assertThat(c.next("error").path("detail").asString()).contains("clientMessageId");
        }
    }

    @Test
    void aClientThatKeepsSendingBadFramesIsClosedWith1008() {
        try (WsClient c = connect()) {
            for (int i = 0; i < 5; i++) {
                c.send("{oops");
                assertThat(c.next("error").path("code").asString()).isEqualTo("bad_frame");
            }
            c.send("{oops");
            WsClient.Closed closed = c.closed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("bad frames");
        }
    }

    @Test
    void aFloodIsClosedWith1008() {
        try (WsClient c = connect()) {
            for (int i = 0; i < 60 && !c.isClosed(); i++) {
                c.send("{\"type\":\"ping\"}");
            }
            WsClient.Closed closed = c.closed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("too many frames");
            assertThat(c.drain()).as("answered until the limit").hasSizeBetween(20, 59)
                    .allSatisfy(f -> assertThat(f.path("type").asString()).isEqualTo("pong"));
        }
    }

    @Test
    void aFrameOf64KiBIsReadAndOneByteMoreIsClosedWith1009() {
        try (WsClient c = connect()) {
            String prefix = "{\"type\":\"ping\",\"pad\":\"";
            String suffix = "\"}";
            // Two-byte characters, so the limit is in bytes, not characters.
            String pad = "é".repeat((64 * 1024 - prefix.length() - suffix.length()) / 2);
            String exact = prefix + pad + suffix;
            assertThat(exact.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(64 * 1024);
            c.send(exact);
            assertThat(c.next().path("type").asString()).isEqualTo("pong");

            c.send(prefix + pad + "x" + suffix);
            WsClient.Closed closed = c.closed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1009);
        }
    }

    @Test
    void aBinaryFrameGetsBadFrameAndCountsAgainstTheAllowance() {
        try (WsClient c = connect()) {
            c.sendBinary(new byte[] {1, 2, 3});
            JsonNode error = c.next("error");
            assertThat(error.path("code").asString()).isEqualTo("bad_frame");
            assertThat(error.path("detail").asString()).contains("binary");
            c.send("{\"type\":\"ping\"}");
            assertThat(c.next().path("type").asString()).as("still open").isEqualTo("pong");

            for (int i = 0; i < 4; i++) {
                c.sendBinary(new byte[] {(byte) i});
                assertThat(c.next("error").path("code").asString()).isEqualTo("bad_frame");
            }
            c.sendBinary(new byte[] {9});
            WsClient.Closed closed = c.closed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("bad frames");
        }
    }

    @Test
    void aBinaryFrameOver64KiBIsClosedWith1009() {
        try (WsClient c = connect()) {
            c.sendBinary(new byte[64 * 1024 + 1]);
            assertThat(c.closed(Duration.ofSeconds(10)).code()).isEqualTo(1009);
        }
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreBadFramesNamingTheField() {
        try (WsClient c = connect()) {
            c.send("{\"type\":\"send\",\"clientMessageId\":5,\"conversationId\":\"x\","
                    + "\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}");
            JsonNode error = c.next("error");
            assertThat(error.path("code").asString()).isEqualTo("bad_frame");
            assertThat(error.path("detail").asString()).contains("clientMessageId");

            c.send("{\"type\":\"send\",\"clientMessageId\":\"c-2\",\"conversationId\":\"x\","
                    + "\"content\":{\"contentType\":\"text\",\"value\":5}}");
            error = c.next("error");
            assertThat(error.path("code").asString()).isEqualTo("bad_frame");
            assertThat(error.path("clientMessageId").asString()).isEqualTo("c-2");
            assertThat(error.path("detail").asString()).contains("content.value");

            c.send("{\"type\":\"read\",\"conversationId\":true,\"upToMessageId\":\"m\"}");
            assertThat(c.next("error").path("detail").asString()).contains("conversationId");
        }
    }
}
