package chatapp.bench;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What the tool acts on in a frame from the server (docs/protocol.md, "Server frames"): its
 * {@code type}, the {@code clientMessageId} that ties an {@code ack} or {@code error} to a send,
 * and of the {@code message} object of an {@code ack} or {@code message} event its
 * {@code messageId}, {@code clientMessageId} and {@code recipientId}; of {@code hello} the
 * {@code connectionId}, of {@code error} the {@code code}. Every other field is read past.
 *
 * <p>Read with Jackson's streaming parser from the frame's bytes rather than as a tree: at thousands of frames a second
 * the tree (a node per field, the message's text copied into it) was most of the tool's own
 * cost per frame, and the tool shares the machine with the server it measures. The whole frame
 * is still parsed, so a frame that is not well-formed JSON is refused as before.
 *
 * @param type the frame's type ("" if it has none)
 * @param clientMessageId the top-level clientMessageId (ack, error), or null
 * @param messageId message.messageId, or null
 * @param messageClientMessageId message.clientMessageId, or null
 * @param recipientId message.recipientId, or null
 * @param code the error code, or null
 * @param connectionId hello's connectionId, or null
 */
record ServerFrame(String type, String clientMessageId, String messageId, String messageClientMessageId,
        String recipientId, String code, String connectionId) {

    /**
     * Field names are interned by the parser's symbol table, so the switches below compare them
     * cheaply. Frames are read with the byte parser; the tool's REST answers with the char parser
     * ({@link Api}), so that its calls between warm-up and run leave the JIT's profile of this one
     * as the warm-up made it.
     */
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Parses one text frame.
     *
     * @throws IllegalArgumentException if the text is not a JSON object (the caller counts it as an
     *     unknown frame)
     */
    static ServerFrame parse(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return parse(utf8, 0, utf8.length);
    }

    /**
     * Parses one text frame from its UTF-8 bytes {@code utf8[offset, offset + length)} (as the
     * socket delivered them: no String of the whole frame is made).
     *
     * @throws IllegalArgumentException if the text is not a JSON object (the caller counts it as an
     *     unknown frame)
     */
    static ServerFrame parse(byte[] utf8, int offset, int length) {
        String type = "";
        String clientMessageId = null;
        String messageId = null;
        String messageClientMessageId = null;
        String recipientId = null;
        String code = null;
        String connectionId = null;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), utf8, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken value = p.nextToken();
                switch (name) {
                    case "type" -> type = string(p, value, "");
                    case "clientMessageId" -> clientMessageId = string(p, value, null);
                    case "code" -> code = string(p, value, null);
                    case "connectionId" -> connectionId = string(p, value, null);
                    case "message" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        for (String field = p.nextName(); field != null; field = p.nextName()) {
                            JsonToken v = p.nextToken();
                            switch (field) {
                                case "messageId" -> messageId = string(p, v, null);
                                case "clientMessageId" -> messageClientMessageId = string(p, v, null);
                                case "recipientId" -> recipientId = string(p, v, null);
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object");
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        return new ServerFrame(type, clientMessageId, messageId, messageClientMessageId, recipientId, code, connectionId);
    }

    /** The current value as a string, or {@code otherwise} if it is not one (an object or array is read past). */
    private static String string(JsonParser p, JsonToken value, String otherwise) {
        if (value == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        p.skipChildren();
        return otherwise;
    }
}
