package chatapp.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Other people using ChatApp through the HTTP API (API.md) while the browsers watch. */
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String PASSWORD = "a long enough password";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI server;
    final String token;
    final String userId;

    private Api(URI server, JsonNode auth) {
        this.server = server;
        this.token = auth.get("accessToken").asString();
        this.userId = auth.get("user").get("userId").asString();
    }

    /** Registers a parent with {@code children} children. */
    static Api parent(URI server, String username, int children) {
        return register(server, account(username, "parent").put("childrenCount", children));
    }

    /** Registers a therapist. */
    static Api therapist(URI server, String username, String specialization) {
        return register(server, account(username, "therapist").put("specialization", specialization));
    }

    /** Email {@code <username>@example.org}, password {@link #PASSWORD}. */
    private static ObjectNode account(String username, String type) {
        return JSON.createObjectNode()
                .put("username", username)
                .put("email", username + "@example.org")
                .put("password", PASSWORD)
                .put("userType", type);
    }

    private static Api register(URI server, ObjectNode body) {
        return new Api(server, ok(post(server, "/api/v1/auth/register", body.toString(), null), 201));
    }

    /** The userId of the {@code type} user called {@code username}, found through {@code asker}'s directory. */
    static String userIdOf(URI server, Api asker, String type, String username) {
        JsonNode page = ok(send(HttpRequest.newBuilder(server.resolve("/api/v1/users?type=" + type + "&q=" + username))
                .header("Authorization", "Bearer " + asker.token).GET().build()), 200);
        for (JsonNode user : page.get("items")) {
            if (user.get("username").asString().equals(username)) {
                return user.get("userId").asString();
            }
        }
        throw new AssertionError("no " + type + " called " + username + " in " + page);
    }

    /** The userId of the therapist whose username starts with {@code prefix}. */
    String therapist(String prefix) {
        JsonNode page = ok(send(HttpRequest.newBuilder(server.resolve("/api/v1/users?type=therapist&q=" + prefix))
                .header("Authorization", "Bearer " + token).GET().build()), 200);
        return page.get("items").get(0).get("userId").asString();
    }

    /** Opens the conversation with {@code peerId} and sends {@code text}. */
    void say(String peerId, String text) {
        sayIn(conversationWith(peerId), text);
    }

    /** The id of the conversation with {@code peerId} (created if needed). */
    String conversationWith(String peerId) {
        return ok(post(server, "/api/v1/conversations", JSON.createObjectNode().put("peerId", peerId).toString(), token), 201, 200)
                .get("conversationId").asString();
    }

    /** Sends {@code text} in a conversation. */
    void sayIn(String conversationId, String text) {
        ObjectNode message = JSON.createObjectNode().put("clientMessageId", UUID.randomUUID().toString());
        message.putObject("content").put("contentType", "text").put("value", text);
        ok(post(server, "/api/v1/conversations/" + conversationId + "/messages",
                message.toString(), token), 201);
    }

    private static HttpResponse<String> post(URI server, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response, int... expected) {
        assertThat(response.statusCode()).as("%s %s", response.request().uri(), response.body()).isIn(box(expected));
        return JSON.readTree(response.body());
    }

    private static Integer[] box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
