package chatapp.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST calls of API.md a user makes to chat, over real HTTP to a server started elsewhere. */
final class ChatClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ChatClient(URI base) {
        this.base = base;
    }

    record User(String userId, String accessToken) {
    }

    /** Registers a new user of {@code userType} ({@code parent} or {@code therapist}). */
    User register(String userType) throws IOException, InterruptedException {
        String name = userType.charAt(0) + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("username", name, "email", name + "@example.org",
                "password", "Tidy-Lantern-Orbit-42", "userType", userType));
        body.put(userType.equals("parent") ? "childrenCount" : "specialization", userType.equals("parent") ? 1 : "speech");
        JsonNode r = expect(201, send("POST", "/api/v1/auth/register", JSON.writeValueAsString(body), null));
        return new User(r.path("user").path("userId").asString(), r.path("accessToken").asString());
    }

    /** Opens the conversation of {@code caller} with {@code peer}, which the peer accepts (consent); its id. */
    String open(User caller, User peer) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/v1/conversations",
                JSON.writeValueAsString(Map.of("peerId", peer.userId())), caller.accessToken());
        String id = expect(r.statusCode() == 200 ? 200 : 201, r).path("conversationId").asString();
        expect(200, send("POST", "/api/v1/conversations/" + id + "/accept", "{}", peer.accessToken()));
        return id;
    }

    /**
     * Sends a text message; the stored message's id when the server acknowledged it (201, or
     * 200 for a repeat of the same {@code clientMessageId}).
     *
     * @throws IOException when no answer came (the server died): the message may or may not be stored
     */
    String send(User sender, String conversationId, String clientMessageId, String text)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("clientMessageId", clientMessageId,
                "content", Map.of("contentType", "text", "value", text)));
        HttpResponse<String> r = send("POST", "/api/v1/conversations/" + conversationId + "/messages", body,
                sender.accessToken());
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IOException("send answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode message = JSON.readTree(r.body());
        if (!clientMessageId.equals(message.path("clientMessageId").asString())) {
            throw new AssertionError("the ack of " + clientMessageId + " is another message: " + r.body());
        }
        return message.path("messageId").asString();
    }

    /** Every message of the conversation, newest first, following the cursors. */
    List<JsonNode> history(User reader, String conversationId) throws IOException, InterruptedException {
        List<JsonNode> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/conversations/" + conversationId + "/messages?limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode page = expect(200, send("GET", path, null, reader.accessToken()));
            page.path("items").forEach(all::add);
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
        } while (cursor != null);
        return all;
    }

    private HttpResponse<String> send(String method, String path, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new AssertionError(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                    + " instead of " + status + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
