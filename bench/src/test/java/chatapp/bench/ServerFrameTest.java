package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fields the load tool reads from server frames, in the shapes of docs/protocol.md. */
class ServerFrameTest {

    @Test
    void anAckGivesItsClientMessageIdAndTheStoredMessagesIds() {
        ServerFrame f = ServerFrame.parse("""
                {"type":"ack","clientMessageId":"c-42","message":{"messageId":"000000000042-Xy3","conversationId":"k3",
                "senderId":"u-1","recipientId":"u-2","createdAt":"2026-11-24T10:15:32.120Z",
                "content":{"contentType":"text","value":"a \\"quoted\\" clientMessageId"},"clientMessageId":"c-42",
                "readAt":null,"deliveredAt":null,"editedAt":null,"deletedAt":null,"tags":[1,{"x":[]}]}}""");

        assertThat(f.type()).isEqualTo("ack");
        assertThat(f.clientMessageId()).isEqualTo("c-42");
        assertThat(f.messageId()).isEqualTo("000000000042-Xy3");
        assertThat(f.messageClientMessageId()).isEqualTo("c-42");
        assertThat(f.recipientId()).isEqualTo("u-2");
        assertThat(f.code()).isNull();
    }

    @Test
    void aMessageEventAnErrorAndHelloGiveWhatTheToolActsOn() {
        ServerFrame message = ServerFrame.parse("""
                {"type":"message","message":{"clientMessageId":"c-7","recipientId":"u-9","messageId":"m-1"}}""");
        assertThat(message.type()).isEqualTo("message");
        assertThat(message.clientMessageId()).isNull();
        assertThat(message.messageClientMessageId()).isEqualTo("c-7");
        assertThat(message.recipientId()).isEqualTo("u-9");

        ServerFrame error = ServerFrame.parse("""
                {"type":"error","code":"rate_limited","detail":"too many","clientMessageId":"c-44","retryAfterMs":1000}""");
        assertThat(error.code()).isEqualTo("rate_limited");
        assertThat(error.clientMessageId()).isEqualTo("c-44");

        ServerFrame hello = ServerFrame.parse("""
                {"type":"hello","userId":"u-1","connectionId":"Wmfu","serverTime":"2026-11-24T10:15:31.002Z"}""");
        assertThat(hello.type()).isEqualTo("hello");
        assertThat(hello.connectionId()).isEqualTo("Wmfu");
    }

    @Test
    void aFrameWithoutATypeHasAnEmptyOne() {
        assertThat(ServerFrame.parse("{\"type\":{\"nested\":true}}").type()).isEmpty();
        assertThat(ServerFrame.parse("{}").type()).isEmpty();
    }

    @Test
    void somethingThatIsNotOneJsonObjectIsRefused() {
        assertThatThrownBy(() -> ServerFrame.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerFrame.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerFrame.parse("{\"type\":\"ack\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerFrame.parse("{\"type\":\"ack\"} {}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrameIsReadFromItsBytesAsTheSocketDeliversThem() {
        // the frame sits inside a larger buffer: only [offset, offset + length) is the frame
        byte[] frame = "{\"type\":\"message\",\"message\":{\"clientMessageId\":\"c-\u00e9\",\"recipientId\":\"u-9\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buffer = new byte[frame.length + 20];
        java.util.Arrays.fill(buffer, (byte) '!');
        System.arraycopy(frame, 0, buffer, 7, frame.length);

        ServerFrame f = ServerFrame.parse(buffer, 7, frame.length);

        assertThat(f.type()).isEqualTo("message");
        assertThat(f.messageClientMessageId()).isEqualTo("c-\u00e9");
        assertThat(f.recipientId()).isEqualTo("u-9");
        // what follows the frame in the buffer is not read
        assertThatThrownBy(() -> ServerFrame.parse(buffer, 7, frame.length + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] bad = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> ServerFrame.parse(bad, 0, bad.length)).isInstanceOf(IllegalArgumentException.class);
    }
}
