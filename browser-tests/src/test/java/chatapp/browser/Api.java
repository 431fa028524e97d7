package chatapp.browser;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.RunningServer;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Other people using ChatApp through the HTTP API (API.md) while the browsers watch. */
final class Api {

    static final String PASSWORD = "a long enough password";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RunningServer server;
    private final String token;

    private Api(RunningServer server, JsonNode auth) {
        this.server = server;
        this.token = auth.get("accessToken").asString();
    }

    /** Registers a parent with {@code children} children; email {@code <username>@example.org}. */
    static Api parent(RunningServer server, String username, int children) {
        return register(server, account(username, "parent").put("childrenCount", children));
    }

    /** Registers a therapist; email {@code <username>@example.org}. */
    static Api therapist(RunningServer server, String username, String specialization) {
        return register(server, account(username, "therapist").put("specialization", specialization));
    }

    private static ObjectNode account(String username, String type) {
        return JSON.createObjectNode()
                .put("username", username)
                .put("email", username + "@example.org")
                .put("password", PASSWORD)
                .put("userType", type);
    }

    private static Api register(RunningServer server, ObjectNode body) {
        return new Api(server, ok(server.post("/api/v1/auth/register", body.toString(), null), 201));
    }

    /** The userId of the {@code type} user called {@code username}, found in the directory. */
    String find(String type, String username) {
        JsonNode page = ok(server.get("/api/v1/users?type=" + type + "&q=" + username, token), 200);
        for (JsonNode user : page.get("items")) {
            if (user.get("username").asString().equals(username)) {
                return user.get("userId").asString();
            }
        }
        throw new AssertionError("no " + type + " called " + username + " in " + page);
    }

    /** The id of the conversation with {@code peerId} (created if needed). */
    String conversationWith(String peerId) {
        return ok(server.post("/api/v1/conversations", JSON.createObjectNode().put("peerId", peerId).toString(), token),
                201, 200).get("conversationId").asString();
    }

    /** Accepts a request to this user (consent, docs/security.md). */
    void accept(String conversationId) {
        ok(server.post("/api/v1/conversations/" + conversationId + "/accept", "{}", token), 200);
    }

    /** Opens the conversation with {@code peerId} and sends {@code text}. */
    void say(String peerId, String text) {
        sayIn(conversationWith(peerId), text);
    }

    /** Sends {@code text} in a conversation. */
    void sayIn(String conversationId, String text) {
        ObjectNode message = JSON.createObjectNode().put("clientMessageId", UUID.randomUUID().toString());
        message.putObject("content").put("contentType", "text").put("value", text);
        ok(server.post("/api/v1/conversations/" + conversationId + "/messages", message.toString(), token), 201);
    }

    /** Sets this user's display name (docs/api.md, "Profiles"). */
    void displayName(String name) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(server.uri("/api/v1/users/me/profile"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("displayName", name).toString()))
                .build();
        ok(server.send(request), 200);
    }

    /** The newest message of a conversation: whether the reader has read it ({@code readAt}). */
    boolean newestIsRead(String conversationId) {
        JsonNode page = ok(server.get("/api/v1/conversations/" + conversationId + "/messages?limit=1", token), 200);
        return !page.get("items").get(0).get("readAt").isNull();
    }

    private static JsonNode ok(HttpResponse<String> response, int... expected) {
        assertThat(response.statusCode()).as("%s %s", response.request().uri(), response.body())
                .isIn(Arrays.stream(expected).boxed().toArray());
        return JSON.readTree(response.body());
    }
}
