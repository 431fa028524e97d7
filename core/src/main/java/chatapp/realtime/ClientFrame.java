package chatapp.realtime;

/**
 * What a client may send on the WebSocket (API.md, "Client to server"), decoded and checked for
 * shape by {@link Frames#decode}. Content rules (length, type, media ownership) are the chat
 * service's, so a {@code send} carries the content as the client wrote it.
 */
public sealed interface ClientFrame {

    /**
     * {@code send}: store a message, answer {@code ack} or {@code error}.
     *
     * @param caption a photo's or video's caption (issue 21), null if none
     * @param replyTo the messageId of the earlier message it replies to (issue 21), null if none
     */
    record Send(String clientMessageId, String conversationId, String contentType, String value, String caption,
            String replyTo) implements ClientFrame {

        /** A send without a caption that replies to none. */
        public Send(String clientMessageId, String conversationId, String contentType, String value) {
            this(clientMessageId, conversationId, contentType, value, null, null);
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
