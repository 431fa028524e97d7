package chatapp.realtime;

/**
 * What a client may send on the WebSocket (API.md, "Client to server"), decoded and checked for
 * shape by {@link Frames#decode}. Content rules (length, type, media ownership) are the chat
 * service's, so a {@code send} carries the content as the client wrote it.
 */
public sealed interface ClientFrame {

    /**
     * {@code send}: store a message, answer {@code ack} or {@code error}; {@code replyTo} (optional,
     * null if absent) is the messageId of the earlier message it replies to.
     */
    record Send(String clientMessageId, String conversationId, String contentType, String value, String replyTo)
            implements ClientFrame {

        /** A message that replies to none. */
        public Send(String clientMessageId, String conversationId, String contentType, String value) {
            this(clientMessageId, conversationId, contentType, value, null);
        }
    }

    /** {@code delivered}: a device of the user received the peer's messages up to {@code upToMessageId}. */
    record Delivered(String conversationId, String upToMessageId) implements ClientFrame {
    }

    /** {@code read}: mark the peer's messages read up to {@code upToMessageId}. */
    record Read(String conversationId, String upToMessageId) implements ClientFrame {
    }

    /** {@code typing}: tell the peer, not stored. */
    record Typing(String conversationId) implements ClientFrame {
    }

    /** {@code ping}: answered by {@code pong}. */
    record Ping() implements ClientFrame {
    }
}
