package chatapp.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contact by consent over REST (issue 19, docs/api.md): requests apart from the inbox, one
 * introduction, accept, decline, block and unblock, the directory hidden between blocked users,
 * the daily request limit. Abstract: run on each store by {@link SqliteConsentEndpointsTest} and
 * {@link DynamoConsentEndpointsTest}, with a limit of {@link #REQUESTS_PER_DAY}.
 */
abstract class ConsentEndpointsTest {

    static final int REQUESTS_PER_DAY = 3;
    static final String LIMIT = "--chatapp.limits.conversation-requests-per-day=" + REQUESTS_PER_DAY;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private JsonNode ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private void problem(HttpResponse<String> r, int status, String code, String detailPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("code").asString()).isEqualTo(code);
        assertThat(body.path("detail").asString()).contains(detailPart);
    }

    private HttpResponse<String> open(Session from, Session to) {
        return server().post("/api/v1/conversations", "{\"peerId\":\"" + to.userId() + "\"}", from.accessToken());
    }

    private HttpResponse<String> act(Session who, String conversationId, String action) {
        return server().post("/api/v1/conversations/" + conversationId + "/" + action, "{}", who.accessToken());
    }

    private HttpResponse<String> unblock(Session who, String conversationId) {
        return server().send(HttpRequest.newBuilder(server().uri("/api/v1/conversations/" + conversationId + "/block"))
                .header("Authorization", "Bearer " + who.accessToken()).DELETE().build());
    }

    private HttpResponse<String> text(Session from, String conversationId, String clientMessageId, String text) {
        return server().post("/api/v1/conversations/" + conversationId + "/messages", "{\"clientMessageId\":\""
                + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"" + text + "\"}}",
                from.accessToken());
    }

    private List<String> userIds(HttpResponse<String> page) {
        List<String> ids = new ArrayList<>();
        ok(page, 200).path("items").forEach(u -> ids.add(u.path("userId").asString()));
        return ids;
    }

    private List<String> ids(HttpResponse<String> page) {
        List<String> ids = new ArrayList<>();
        ok(page, 200).path("items").forEach(c -> ids.add(c.path("conversationId").asString()));
        return ids;
    }

    @Test
    void aRequestWaitsApartFromTheInboxWithOneIntroductionUntilAccepted() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);

        JsonNode opened = ok(open(therapist, parent), 201);
        String c = opened.path("conversationId").asString();
        assertThat(opened.path("state").asString()).isEqualTo("requested");
        assertThat(opened.path("requestedBy").asString()).isEqualTo(therapist.userId());
        assertThat(opened.path("blockedBy").isNull()).isTrue();

        assertThat(ids(server().get("/api/v1/conversations", therapist.accessToken()))).containsExactly(c);
        assertThat(ids(server().get("/api/v1/conversations", parent.accessToken()))).isEmpty();
        assertThat(ids(server().get("/api/v1/conversations/requests", parent.accessToken()))).containsExactly(c);
        assertThat(ids(server().get("/api/v1/conversations/requests", therapist.accessToken()))).isEmpty();

        problem(server().post("/api/v1/conversations/" + c + "/messages",
                "{\"clientMessageId\":\"img\",\"content\":{\"contentType\":\"image\",\"value\":\"abc\"}}",
                therapist.accessToken()), 409, "conflict", "text only");
        ok(text(therapist, c, "intro", "Hello"), 201);
        ok(text(therapist, c, "intro", "Hello"), 200); // the same introduction again
        problem(text(therapist, c, "second", "Hello?"), 409, "conflict",
                "waiting for " + parent.username() + " to accept");
        problem(act(therapist, c, "accept"), 403, "forbidden", "only " + parent.username());

        JsonNode accepted = ok(act(parent, c, "accept"), 200);
        assertThat(accepted.path("state").asString()).isEqualTo("accepted");
        assertThat(accepted.path("requestedBy").isNull()).isTrue();
        assertThat(ids(server().get("/api/v1/conversations", parent.accessToken()))).containsExactly(c);
        assertThat(ids(server().get("/api/v1/conversations/requests", parent.accessToken()))).isEmpty();
        ok(text(therapist, c, "second", "Thank you"), 201);
        ok(text(parent, c, "reply", "You're welcome"), 201);
    }

    @Test
    void replyingAcceptsADeclinedRequestStopsTheRequester() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = ok(open(therapist, parent), 201).path("conversationId").asString();
        ok(text(parent, c, "yes", "Hello!"), 201);
        assertThat(ok(server().get("/api/v1/conversations/" + c, therapist.accessToken()), 200).path("state")
                .asString()).isEqualTo("accepted");

        Session other = TestAccounts.register(server(), UserType.PARENT);
        String d = ok(open(therapist, other), 201).path("conversationId").asString();
        problem(act(therapist, d, "decline"), 403, "forbidden", "only");
        JsonNode declined = ok(act(other, d, "decline"), 200);
        assertThat(declined.path("state").asString()).isEqualTo("declined");
        problem(text(therapist, d, "again", "Please"), 409, "conflict", other.username() + " declined");
        assertThat(ok(server().get("/api/v1/conversations/" + d, therapist.accessToken()), 200).path("state")
                .asString()).isEqualTo("declined");
        JsonNode listed = ok(server().get("/api/v1/conversations/requests", other.accessToken()), 200).path("items");
        assertThat(listed.get(0).path("state").asString()).isEqualTo("declined");
        // Asking again changes nothing and costs nothing.
        assertThat(ok(open(therapist, other), 200).path("state").asString()).isEqualTo("declined");
    }

    @Test
    void blockingStopsMessagesAndHidesBothFromEachOtherUntilUnblocked() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = ok(open(therapist, parent), 201).path("conversationId").asString();
        ok(act(parent, c, "accept"), 200);
        String mine = "/api/v1/users?type=therapist&q=" + therapist.username();
        assertThat(userIds(server().get(mine, parent.accessToken()))).contains(therapist.userId());

        JsonNode blocked = ok(act(parent, c, "block"), 200);
        assertThat(blocked.path("state").asString()).isEqualTo("blocked");
        assertThat(blocked.path("blockedBy").asString()).isEqualTo(parent.userId());
        problem(text(therapist, c, "t", "Hi"), 409, "conflict", "has blocked");
        problem(text(parent, c, "p", "Hi"), 409, "conflict", "you blocked");
        problem(act(therapist, c, "block"), 409, "conflict", "has blocked");
        problem(unblock(therapist, c), 403, "forbidden", "only " + parent.username());

        // The directory and profiles hide each from the other, both ways.
        assertThat(userIds(server().get(mine, parent.accessToken()))).doesNotContain(therapist.userId());
        assertThat(userIds(server().get("/api/v1/users?type=parent&q=" + parent.username(), therapist.accessToken())))
                .doesNotContain(parent.userId());
        problem(server().get("/api/v1/users/" + therapist.userId(), parent.accessToken()), 404, "not_found", "no such user");
        problem(server().get("/api/v1/users/" + parent.userId(), therapist.accessToken()), 404, "not_found", "no such user");

        JsonNode unblocked = ok(unblock(parent, c), 200);
        assertThat(unblocked.path("state").asString()).isEqualTo("accepted");
        assertThat(unblocked.path("blockedBy").isNull()).isTrue();
        ok(server().get("/api/v1/users/" + therapist.userId(), parent.accessToken()), 200);
        assertThat(userIds(server().get(mine, parent.accessToken()))).contains(therapist.userId());
        ok(text(therapist, c, "t", "Hi again"), 201);
    }

    @Test
    void newRequestsArePerDayLimitedWithRetryAfter() {
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        for (int i = 0; i < REQUESTS_PER_DAY; i++) {
            ok(open(therapist, TestAccounts.register(server(), UserType.PARENT)), 201);
        }
        HttpResponse<String> refused = open(therapist, TestAccounts.register(server(), UserType.PARENT));
        problem(refused, 429, "rate_limited", "conversation requests");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isPositive());
    }
}
