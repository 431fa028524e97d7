package chatapp.realtime;

import chatapp.chat.MediaRef;
import chatapp.chat.Message;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of WebSocket frames (API.md, "Real-time WebSocket"): one text object per frame with
 * its {@code type} first. A {@code message} in a frame has exactly the shape REST gives it
 * (mix-ins below); times are ISO-8601 UTC with milliseconds. One codec for both shapes: the
 * built-in gateway and the Lambda handlers.
 */
public final class Frames {

    /** Longest identifier a frame may carry; ids of ours are far shorter. */
    private static final int MAX_ID = 200;

    private final JsonMapper json;

    /** On a plain mapper (the Lambda handlers, tests). */
    public Frames() {
        this(JsonMapper.builder().build());
    }

    /** On {@code appJson} (the server's mapper), with the frame rules added. */
    public Frames(JsonMapper appJson) {
        this.json = appJson.rebuild()
                .withConfigOverride(Instant.class, o -> o.setFormat(
                        JsonFormat.Value.forPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withTimeZone(java.util.TimeZone.getTimeZone("UTC"))))
                // A message has exactly its REST shape: media and quote only when there is some.
                .addMixIn(Message.class, MessageShape.class)
                .addMixIn(MediaRef.class, MediaShape.class)
                // {"clientMessageId":"a","clientMessageId":"b"}: which one was meant is a guess.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private abstract static class MessageShape {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract MediaRef media();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract chatapp.chat.Quote quote();

        @com.fasterxml.jackson.annotation.JsonIgnore
        abstract boolean isDeleted();
    }

    /** API.md: width, height, durationMs and poster only when the media has them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class MediaShape {
    }

    /**
     * Messages encoded lately, by a hash of their id: a stored message goes out as a
     * {@code message} frame to its recipient and, right after on the same thread, in the
     * sender's {@code ack}, so its JSON is written once (docs/benchmarks.md, "The WebSocket
     * path's CPU per message"). Entries are immutable and matched by identity; a lost race only
     * costs an encoding.
     */
    private final Encoded[] recent = new Encoded[64];

    private record Encoded(Message message, String json) {
    }

    /** The text of {@code frame}. */
    public String encode(ServerFrame frame) {
        // The frames of every message (an ack, a message) are written around the message's JSON;
        // the rest through a tree, which places type first and drops a Failure's null fields.
        return switch (frame) {
            case ServerFrame.Ack a when a.clientMessageId() != null && a.message() != null ->
                    "{\"type\":\"ack\",\"clientMessageId\":" + json.writeValueAsString(a.clientMessageId())
                            + ",\"message\":" + message(a.message()) + '}';
            case ServerFrame.NewMessage n when n.message() != null ->
                    "{\"type\":\"message\",\"message\":" + message(n.message()) + '}';
            default -> tree(frame);
        };
    }

    private String message(Message m) {
        int slot = m.messageId() == null ? 0 : m.messageId().hashCode() & (recent.length - 1);
        Encoded e = recent[slot];
        if (e != null && e.message() == m) {
            return e.json();
        }
        String text = json.writeValueAsString(m);
        recent[slot] = new Encoded(m, text);
        return text;
    }

    /** {@code frame} written through a tree: the general path (package-private for the tests). */
    String tree(ServerFrame frame) {
        ObjectNode node = json.createObjectNode();
        node.put("type", frame.type());
        ObjectNode fields = json.valueToTree(frame);
        if (frame instanceof ServerFrame.Failure f) {
            if (f.clientMessageId() == null) {
                fields.remove("clientMessageId");
            }
            if (f.retryAfterMs() == null) {
                fields.remove("retryAfterMs");
            }
        }
        node.setAll(fields);
        return json.writeValueAsString(node);
    }

    /**
     * The frame in {@code text}.
     *
     * @throws BadFrame if it is not one JSON object of a known {@code type} with its fields
     */
    public ClientFrame decode(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            String why = e.getOriginalMessage();
            throw new BadFrame(why != null && why.startsWith("Duplicate Object property")
                    ? "the frame gives a key twice: " + abbreviate(why.substring("Duplicate Object property".length()).strip())
                    : "the frame is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw new BadFrame("a frame is one JSON object with a type", null);
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isString()) {
            throw new BadFrame("type is required and must be a string", null);
        }
        return switch (type.stringValue()) {
            case "ping" -> new ClientFrame.Ping();
            case "typing" -> new ClientFrame.Typing(id(node, "conversationId", null));
            case "read" -> new ClientFrame.Read(id(node, "conversationId", null), id(node, "upToMessageId", null));
            case "delivered" -> new ClientFrame.Delivered(id(node, "conversationId", null),
                    id(node, "upToMessageId", null));
            case "send" -> send(node);
            default -> throw new BadFrame("unknown frame type '" + abbreviate(type.stringValue()) + "'", null);
        };
    }

    private static ClientFrame.Send send(JsonNode node) {
        String clientMessageId = id(node, "clientMessageId", null);
        String conversationId = id(node, "conversationId", clientMessageId);
        JsonNode content = node.get("content");
        if (content == null || !content.isObject()) {
            throw new BadFrame("content is required: {contentType, value}", clientMessageId);
        }
        JsonNode contentType = content.get("contentType");
        JsonNode value = content.get("value");
        if (contentType == null || !contentType.isString() || value == null || !value.isString()) {
            throw new BadFrame("content.contentType and content.value must be strings", clientMessageId);
        }
        JsonNode caption = content.get("caption");
        if (caption != null && !caption.isNull() && !caption.isString()) {
            throw new BadFrame("content.caption must be a string", clientMessageId);
        }
        String replyTo = null;
        JsonNode reply = node.get("replyTo");
        if (reply != null && !reply.isNull()) {
            replyTo = id(node, "replyTo", clientMessageId);
        }
        return new ClientFrame.Send(clientMessageId, conversationId, contentType.stringValue(), value.stringValue(),
                caption == null || caption.isNull() ? null : caption.stringValue(), replyTo);
    }

    private static String id(JsonNode node, String field, String clientMessageId) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            throw new BadFrame(field + " is required and must be a non-blank string", clientMessageId);
        }
        if (v.stringValue().length() > MAX_ID) {
            throw new BadFrame(field + " is longer than " + MAX_ID + " characters", clientMessageId);
        }
        return v.stringValue();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** A frame that is not what API.md allows: answered by {@code error bad_frame}. */
    public static final class BadFrame extends RuntimeException {
        private final String clientMessageId;

        BadFrame(String detail, String clientMessageId) {
            super(detail, null, false, false);
            this.clientMessageId = clientMessageId;
        }

        public String clientMessageId() {
            return clientMessageId;
        }
    }
}
