package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts.Session;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Profiles over REST (issue 21; docs/api.md, "Profiles"): display names and therapist fields with
 * their rules, avatars through the media pipeline (metadata stripped), who sees what (parents
 * never see parents, blocked users stay hidden), and the audit entries. Abstract: run on each
 * store by {@link SqliteProfileEndpointsTest} and {@link DynamoProfileEndpointsTest}.
 */
abstract class ProfileEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private JsonNode problem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("code").asString()).isEqualTo(code);
        return body;
    }

    private HttpResponse<String> patch(Session who, String json) {
        return server().send(HttpRequest.newBuilder(server().uri("/api/v1/users/me/profile"))
                .header("Authorization", "Bearer " + who.accessToken()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> putAvatar(Session who, String declaredType, byte[] bytes) {
        String boundary = "chatapp-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.jpg\""
                + "\r\nContent-Type: " + declaredType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server().send(HttpRequest.newBuilder(server().uri("/api/v1/users/me/avatar"))
                .header("Authorization", "Bearer " + who.accessToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private HttpResponse<String> putAvatarRaw(Session who, byte[] bytes) {
        return server().send(HttpRequest.newBuilder(server().uri("/api/v1/users/me/avatar"))
                .header("Authorization", "Bearer " + who.accessToken()).header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    private HttpResponse<String> delete(Session who, String path) {
        return server().send(HttpRequest.newBuilder(server().uri(path))
                .header("Authorization", "Bearer " + who.accessToken()).DELETE().build());
    }

    private byte[] follow(HttpResponse<String> redirect) throws Exception {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        URI location = server().uri("/").resolve(redirect.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(location).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private List<String> actions(Session who) {
        List<String> found = new ArrayList<>();
        ok(server().get("/api/v1/users/me/activity", who.accessToken()), 200).path("items")
                .forEach(e -> found.add(e.path("action").asString() + " " + e.path("detail").path("fields").asString()));
        return found;
    }

    @Test
    void aTherapistsProfileAndAvatarAreShownToParentsEverywhereWithoutMetadata() throws Exception {
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        Session parent = TestAccounts.register(server(), UserType.PARENT);

        JsonNode own = ok(patch(therapist, "{\"displayName\":\"  Dr. Ana Müller \",\"bio\":\"Speech therapy.\\nTwenty "
                + "years.\",\"credentials\":\"MSc, licensed SLP\",\"practice\":\"Little Voices, Lisbon\"}"), 200);
        assertThat(own.path("displayName").asString()).isEqualTo("Dr. Ana Müller");
        assertThat(own.path("email").asString()).isEqualTo(therapist.email());
        assertThat(own.has("avatar")).isFalse();

        JsonNode withAvatar = ok(putAvatar(therapist, "image/jpeg", TestImages.jpegWithGps(640, 480, 6)), 200);
        String avatarId = withAvatar.path("avatar").path("mediaId").asString();
        assertThat(withAvatar.path("avatar").path("url").asString()).isEqualTo("/api/v1/users/" + therapist.userId() + "/avatar");
        assertThat(withAvatar.path("avatar").path("thumbnailUrl").asString()).endsWith("/avatar?variant=thumbnail");
        assertThat(withAvatar.path("displayName").asString()).isEqualTo("Dr. Ana Müller");
        JsonNode me = ok(server().get("/api/v1/users/me", therapist.accessToken()), 200);
        assertThat(me.path("avatar").path("mediaId").asString()).isEqualTo(avatarId);
        assertThat(me.path("practice").asString()).isEqualTo("Little Voices, Lisbon");

        // the parent sees it: the public view, the directory, the conversation
        JsonNode view = ok(server().get("/api/v1/users/" + therapist.userId(), parent.accessToken()), 200);
        assertThat(view.path("displayName").asString()).isEqualTo("Dr. Ana Müller");
        assertThat(view.path("bio").asString()).isEqualTo("Speech therapy.\nTwenty years.");
        assertThat(view.path("credentials").asString()).isEqualTo("MSc, licensed SLP");
        assertThat(view.path("avatar").path("mediaId").asString()).isEqualTo(avatarId);
        assertThat(view.has("email")).isFalse();
        JsonNode listed = ok(server().get("/api/v1/users?type=therapist&q=" + therapist.username(), parent.accessToken()), 200)
                .path("items").get(0);
        assertThat(listed.path("displayName").asString()).isEqualTo("Dr. Ana Müller");
        assertThat(listed.path("avatar").path("thumbnailUrl").asString()).endsWith("?variant=thumbnail");
        JsonNode opened = ok(server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken()), 201);
        assertThat(opened.path("peer").path("displayName").asString()).isEqualTo("Dr. Ana Müller");
        JsonNode inbox = ok(server().get("/api/v1/conversations", parent.accessToken()), 200).path("items").get(0);
        assertThat(inbox.path("peer").path("avatar").path("mediaId").asString()).isEqualTo(avatarId);
        JsonNode requests = ok(server().get("/api/v1/conversations/requests", therapist.accessToken()), 200);
        assertThat(requests.path("items").get(0).path("peer").has("displayName")).isFalse();

        // stored under the avatar's own keys, which message retention never removes (docs/audit.md, "Retention")
        assertThat(server().get("/api/v1/users/" + therapist.userId() + "/avatar", parent.accessToken()).headers()
                .firstValue("Location").orElseThrow()).contains(avatarId + "/avatar?");
        assertThat(server().get("/api/v1/users/" + therapist.userId() + "/avatar?variant=thumbnail", parent.accessToken())
                .headers().firstValue("Location").orElseThrow()).contains(avatarId + "/avatar-thumbnail?");

        // the photo went through the media pipeline: no GPS, no camera, upright, with a thumbnail
        byte[] original = follow(server().get("/api/v1/users/" + therapist.userId() + "/avatar", parent.accessToken()));
        assertThat(TestImages.metadataLeft(original)).isEmpty();
        assertThat(TestImages.decode(original).getHeight()).isEqualTo(640);
        byte[] thumbnail = follow(server().get("/api/v1/users/" + therapist.userId() + "/avatar?variant=thumbnail",
                parent.accessToken()));
        assertThat(TestImages.metadataLeft(thumbnail)).isEmpty();
        assertThat(TestImages.decode(thumbnail).getHeight()).isEqualTo(320);
        follow(server().get("/api/v1/users/me/avatar?variant=thumbnail", therapist.accessToken()));

        assertThat(actions(therapist)).contains("PROFILE_CHANGED displayName,bio,credentials,practice",
                "PROFILE_CHANGED avatar");
    }

    @Test
    void aParentNeverSeesAnotherParentsProfileOrAvatarAndBlockedUsersStayHidden() throws Exception {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session other = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        ok(patch(other, "{\"displayName\":\"Maria\"}"), 200);
        ok(putAvatarRaw(other, TestImages.png(50, 40, true)), 200);

        problem(server().get("/api/v1/users/" + other.userId(), parent.accessToken()), 404, "not_found");
        problem(server().get("/api/v1/users/" + other.userId() + "/avatar", parent.accessToken()), 404, "not_found");
        problem(server().get("/api/v1/users/" + other.userId() + "/avatar?variant=thumbnail", parent.accessToken()), 404,
                "not_found");
        // a therapist sees a parent's profile
        assertThat(ok(server().get("/api/v1/users/" + other.userId(), therapist.accessToken()), 200).path("displayName")
                .asString()).isEqualTo("Maria");
        follow(server().get("/api/v1/users/" + other.userId() + "/avatar", therapist.accessToken()));

        // blocked: hidden both ways, and the conversation shows no profile
        String c = ok(server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                other.accessToken()), 201).path("conversationId").asString();
        ok(server().post("/api/v1/conversations/" + c + "/accept", "{}", therapist.accessToken()), 200);
        ok(server().post("/api/v1/conversations/" + c + "/block", "{}", other.accessToken()), 200);
        problem(server().get("/api/v1/users/" + other.userId() + "/avatar", therapist.accessToken()), 404, "not_found");
        JsonNode blocked = ok(server().get("/api/v1/conversations/" + c, therapist.accessToken()), 200);
        assertThat(blocked.path("peer").has("displayName")).isFalse();
        assertThat(blocked.path("peer").has("avatar")).isFalse();
        // no avatar at all: 404 too
        problem(server().get("/api/v1/users/" + therapist.userId() + "/avatar", parent.accessToken()), 404, "not_found");
    }

    @Test
    void lookAlikeNamesParentsTherapistFieldsAndVideosAreRefusedWithDetail() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);

        JsonNode lookAlike = problem(patch(parent, "{\"displayName\":\"Dr. Sm\u0456th\"}"), 400, "validation_failed");
        assertThat(lookAlike.path("errors").get(0).path("field").asString()).isEqualTo("displayName");
        assertThat(lookAlike.path("errors").get(0).path("message").asString())
                .contains("mixes scripts that look alike (Cyrillic and Latin)");
        JsonNode override = problem(patch(parent, "{\"displayName\":\"Ana\\u202Eevil\"}"), 400, "validation_failed");
        assertThat(override.path("errors").get(0).path("message").asString()).contains("U+202E");
        JsonNode therapistsOnly = problem(patch(parent, "{\"bio\":\"Hello\"}"), 400, "validation_failed");
        assertThat(therapistsOnly.path("errors").get(0).path("message").asString()).isEqualTo("is only for therapists");
        problem(patch(parent, "{\"displayName\":\"" + "x".repeat(65) + "\"}"), 400, "validation_failed");
        problem(putAvatar(parent, "video/mp4", TestImages.fixture("tiny.mp4")), 415, "unsupported_media");
        problem(putAvatar(parent, "image/jpeg", "not a photo".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media");
        JsonNode me = ok(server().get("/api/v1/users/me", parent.accessToken()), 200);
        assertThat(me.has("displayName")).isFalse();
        assertThat(me.has("avatar")).isFalse();
        // full-width letters are the letters they look like (NFKC)
        assertThat(ok(patch(parent, "{\"displayName\":\"\uFF2D\uFF41\uFF52\uFF49\uFF41\"}"), 200).path("displayName")
                .asString()).isEqualTo("Maria");
    }

    @Test
    void aNewAvatarDeletesTheOldOneAndRemovingItLeavesNone() throws Exception {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        String first = ok(putAvatar(parent, "image/jpeg", TestImages.jpegWithGps(64, 48, 1)), 200).path("avatar")
                .path("mediaId").asString();
        String second = ok(putAvatarRaw(parent, TestImages.png(50, 40, false)), 200).path("avatar").path("mediaId")
                .asString();
        assertThat(second).isNotEqualTo(first);
        problem(server().get("/api/v1/media/" + first, parent.accessToken()), 404, "not_found");
        follow(server().get("/api/v1/media/" + second, parent.accessToken()));

        assertThat(delete(parent, "/api/v1/users/me/avatar").statusCode()).isEqualTo(204);
        assertThat(ok(server().get("/api/v1/users/me", parent.accessToken()), 200).has("avatar")).isFalse();
        problem(server().get("/api/v1/media/" + second, parent.accessToken()), 404, "not_found");
        problem(server().get("/api/v1/users/me/avatar", parent.accessToken()), 404, "not_found");
        assertThat(delete(parent, "/api/v1/users/me/avatar").statusCode()).isEqualTo(204);
        // clearing the display name
        ok(patch(parent, "{\"displayName\":\"Sam\"}"), 200);
        assertThat(ok(patch(parent, "{\"displayName\":\"\"}"), 200).has("displayName")).isFalse();
        assertThat(actions(parent)).containsSubsequence("PROFILE_CHANGED displayName", "PROFILE_CHANGED displayName",
                "PROFILE_CHANGED avatar", "PROFILE_CHANGED avatar", "PROFILE_CHANGED avatar");
    }
}
