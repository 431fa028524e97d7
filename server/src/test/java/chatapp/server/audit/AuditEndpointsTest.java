package chatapp.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.audit.AuditAction;
import chatapp.audit.AuditEntry;
import chatapp.audit.AuditLog;
import chatapp.media.TestImages;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every audited action over real HTTP writes exactly its entry, with the actor, session and
 * address of the request (docs/audit.md); a send writes none; the activity endpoints show what
 * they promise to whom. Abstract: run on each store by {@link SqliteAuditEndpointsTest} and
 * {@link DynamoAuditEndpointsTest}.
 */
abstract class AuditEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private AuditLog audit() {
        return server().context().getBean(AuditLog.class);
    }

    private Set<String> positions() {
        Set<String> all = new HashSet<>();
        Instant now = Instant.now();
        audit().export(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), null, e -> all.add(e.position()));
        return all;
    }

    /** The entries written while {@code action} ran, oldest first. */
    private <T> List<AuditEntry> during(Supplier<T> action) {
        Set<String> before = positions();
        action.get();
        List<AuditEntry> written = new ArrayList<>();
        Instant now = Instant.now();
        audit().export(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), null, e -> {
            if (!before.contains(e.position())) {
                written.add(e);
            }
        });
        return written;
    }

    private static JsonNode json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> login(String email, String password) {
        return server().post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    private HttpResponse<String> delete(String path, String token) {
        return server().send(HttpRequest.newBuilder(server().uri(path)).header("Authorization", "Bearer " + token)
                .DELETE().build());
    }

    /** Consent: a request or a block tells nobody when the other side looked (the activity too). */
    @Test
    void aConversationsActivityShowsThePeerOnlyWhileAccepted() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String c = json(server().post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken()), 201).path("conversationId").asString();
        json(server().get("/api/v1/conversations/" + c + "/messages", therapist.accessToken()), 200); // looks only
        assertThat(actorsIn(c, parent)).as("the requester sees only themselves").containsOnly(parent.userId());

        json(server().post("/api/v1/conversations/" + c + "/accept", "{}", therapist.accessToken()), 200);
        assertThat(actorsIn(c, parent)).as("accepted: both").contains(parent.userId(), therapist.userId());

        json(server().post("/api/v1/conversations/" + c + "/block", "{}", therapist.accessToken()), 200);
        json(server().get("/api/v1/conversations/" + c + "/messages", therapist.accessToken()), 200);
        assertThat(actorsIn(c, parent)).as("blocked: the blocker's reads are hidden").containsOnly(parent.userId());
        assertThat(actorsIn(c, therapist)).as("the blocker still sees their own").contains(therapist.userId())
                .doesNotContain(parent.userId());
    }

    private java.util.Set<String> actorsIn(String conversationId, Session viewer) {
        java.util.Set<String> actors = new java.util.HashSet<>();
        json(server().get("/api/v1/conversations/" + conversationId + "/activity?limit=100", viewer.accessToken()), 200)
                .path("items").forEach(i -> actors.add(i.path("userId").asString()));
        return actors;
    }

    /** A refusal by a rate limit is not an attempt: a flood must not grow the append-only log. */
    @Test
    void refusalsByARateLimitAreNotRecorded() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        List<AuditEntry> flood = during(() -> {
            for (int i = 0; i < 6; i++) {
                server().post("/api/v1/users/me/export", "", parent.accessToken());
            }
            return null;
        });
        assertThat(flood).extracting(AuditEntry::action, AuditEntry::outcome).as("3 exports a day, then 429s")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.DATA_EXPORTED, "success"),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.DATA_EXPORTED, "success"),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.DATA_EXPORTED, "success"));
    }

    @Test
    void signInsSuccessfulOrNotAndSignOutsWriteOneEntryEach() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);

        List<AuditEntry> signIn = during(() -> json(login(parent.email(), parent.password()), 200));
        assertThat(signIn).hasSize(1);
        AuditEntry in = signIn.getFirst();
        assertThat(in).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target, AuditEntry::outcome,
                AuditEntry::address).containsExactly(AuditAction.SIGN_IN, parent.userId(), parent.userId(), "success",
                "127.0.0.1");
        assertThat(in.session()).isNotBlank();
        assertThat(in.chain()).isEqualTo("security#" + parent.userId());

        List<AuditEntry> wrong = during(() -> login(parent.email(), "Wrong-Password-123456"));
        assertThat(wrong).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SIGN_IN, null, parent.userId(),
                        "invalid_credentials"));
        assertThat(wrong.getFirst().chain()).as("the account's own chain").isEqualTo("security#" + parent.userId());

        List<AuditEntry> unknown = during(() -> login("nobody-" + System.nanoTime() + "@example.org", "Whatever-12345678"));
        assertThat(unknown).extracting(AuditEntry::action, AuditEntry::target, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SIGN_IN, null, "invalid_credentials"));
        assertThat(unknown.toString()).doesNotContain("Whatever-12345678").doesNotContain("Wrong-Password");

        Session again = TestAccounts.login(server(), parent);
        List<AuditEntry> out = during(() -> server().post("/api/v1/auth/logout",
                "{\"refreshToken\":\"" + again.refreshToken() + "\"}", again.accessToken()));
        assertThat(out).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SIGN_OUT, parent.userId(), "success"));
        assertThat(out.getFirst().target()).isEqualTo(out.getFirst().session()).isNotNull();
    }

    @Test
    void endedSessionsAndPasswordChangesAreRecorded() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session other = TestAccounts.login(server(), parent);
        String otherSession = currentSession(other);

        List<AuditEntry> one = during(() -> delete("/api/v1/users/me/sessions/" + otherSession, parent.accessToken()));
        assertThat(one).extracting(AuditEntry::action, AuditEntry::target, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SESSION_ENDED, otherSession, "success"));

        List<AuditEntry> none = during(() -> delete("/api/v1/users/me/sessions/no-such-session", parent.accessToken()));
        assertThat(none).extracting(AuditEntry::action, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SESSION_ENDED, "not_found"));

        List<AuditEntry> password = during(() -> json(server().send(HttpRequest.newBuilder(server().uri("/api/v1/users/me"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"password\":\"Brand-New-Password-77\","
                        + "\"currentPassword\":\"" + parent.password() + "\"}")).build()), 200));
        assertThat(password).extracting(AuditEntry::action, AuditEntry::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AuditAction.PASSWORD_CHANGED, parent.userId()),
                org.assertj.core.groups.Tuple.tuple(AuditAction.SESSION_ENDED, "others"));
        assertThat(password.toString()).doesNotContain("Brand-New-Password-77");

        List<AuditEntry> profile = during(() -> json(server().send(HttpRequest.newBuilder(server().uri("/api/v1/users/me"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"childrenCount\":3}")).build()), 200));
        assertThat(profile).as("a profile change without a password is not a security event").isEmpty();

        List<AuditEntry> all = during(() -> server().post("/api/v1/auth/logout-all", "{}", parent.accessToken()));
        assertThat(all).extracting(AuditEntry::action, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.SESSION_ENDED, "all"));
        assertThat(all.getFirst().detail().get("sessions")).contains(all.getFirst().session());
    }

    private String currentSession(Session of) {
        JsonNode list = json(server().get("/api/v1/users/me/sessions", of.accessToken()), 200);
        for (JsonNode s : list.path("items")) {
            if (s.path("current").asBoolean()) {
                return s.path("sessionId").asString();
            }
        }
        throw new AssertionError("no current session in " + list);
    }

    @Test
    void conversationActionsAndHistoryReadsAreRecordedButSendsAreNot() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        Session stranger = TestAccounts.register(server(), UserType.THERAPIST);

        String[] id = new String[1];
        List<AuditEntry> requested = during(() -> id[0] = json(server().post("/api/v1/conversations",
                "{\"peerId\":\"" + parent.userId() + "\"}", therapist.accessToken()), 201).path("conversationId").asString());
        String c = id[0];
        assertThat(requested).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.CONVERSATION_REQUESTED, therapist.userId(), c));
        assertThat(requested.getFirst().detail()).containsEntry("peer", parent.userId());

        assertThat(during(() -> json(server().post("/api/v1/conversations/" + c + "/accept", "{}", parent.accessToken()), 200)))
                .extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.CONVERSATION_ACCEPTED, parent.userId()));

        String secret = "the child's diagnosis " + System.nanoTime();
        List<AuditEntry> sent = during(() -> json(server().post("/api/v1/conversations/" + c + "/messages",
                "{\"clientMessageId\":\"m1\",\"content\":{\"contentType\":\"text\",\"value\":\"" + secret + "\"}}",
                therapist.accessToken()), 201));
        assertThat(sent).as("sends are not audited").isEmpty();

        List<AuditEntry> opened = during(() -> json(server().get("/api/v1/conversations/" + c, parent.accessToken()), 200));
        assertThat(opened).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.CONVERSATION_OPENED, parent.userId(), c));

        List<AuditEntry> read = during(() -> json(server().get("/api/v1/conversations/" + c + "/messages?limit=20",
                parent.accessToken()), 200));
        assertThat(read).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.HISTORY_READ, parent.userId(), c, "success"));
        assertThat(read.getFirst().detail()).isEqualTo(Map.of("limit", "20"));
        assertThat(read.toString()).doesNotContain(secret);

        List<AuditEntry> refused = during(() -> server().get("/api/v1/conversations/" + c + "/messages", stranger.accessToken()));
        assertThat(refused).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.HISTORY_READ, stranger.userId(), "not_found"));

        assertThat(during(() -> json(server().post("/api/v1/conversations/" + c + "/block", "{}", parent.accessToken()), 200)))
                .extracting(AuditEntry::action).containsExactly(AuditAction.CONVERSATION_BLOCKED);
        assertThat(during(() -> json(delete("/api/v1/conversations/" + c + "/block", parent.accessToken()), 200)))
                .extracting(AuditEntry::action).containsExactly(AuditAction.CONVERSATION_UNBLOCKED);

        Session other = TestAccounts.register(server(), UserType.THERAPIST);
        String d = json(server().post("/api/v1/conversations", "{\"peerId\":\"" + parent.userId() + "\"}",
                other.accessToken()), 201).path("conversationId").asString();
        assertThat(during(() -> json(server().post("/api/v1/conversations/" + d + "/decline", "{}", parent.accessToken()), 200)))
                .extracting(AuditEntry::action, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.CONVERSATION_DECLINED, d));

        // the conversation's activity: participants only, who opened it when, newest first
        JsonNode activity = json(server().get("/api/v1/conversations/" + c + "/activity", therapist.accessToken()), 200);
        List<String> seen = new ArrayList<>();
        activity.path("items").forEach(i -> seen.add(i.path("userId").asString() + " " + i.path("action").asString()));
        assertThat(seen).containsExactly(
                parent.userId() + " CONVERSATION_UNBLOCKED",
                parent.userId() + " CONVERSATION_BLOCKED",
                parent.userId() + " HISTORY_READ",
                parent.userId() + " CONVERSATION_OPENED",
                parent.userId() + " CONVERSATION_ACCEPTED",
                therapist.userId() + " CONVERSATION_REQUESTED");
        assertThat(activity.path("items").get(0).path("at").asString()).endsWith("Z");
        JsonNode firstPage = json(server().get("/api/v1/conversations/" + c + "/activity?limit=2", therapist.accessToken()), 200);
        assertThat(firstPage.path("items")).hasSize(2);
        JsonNode next = json(server().get("/api/v1/conversations/" + c + "/activity?limit=2&cursor="
                + firstPage.path("nextCursor").asString(), therapist.accessToken()), 200);
        assertThat(next.path("items").get(0).path("action").asString()).isEqualTo("HISTORY_READ");
        assertThat(server().get("/api/v1/conversations/" + c + "/activity", stranger.accessToken()).statusCode()).isEqualTo(404);
        assertThat(json(server().get("/api/v1/conversations/" + c + "/activity?limit=0", parent.accessToken()), 400)
                .path("code").asString()).isEqualTo("validation_failed");
    }

    @Test
    void mediaViewedThroughTheApiAndDownloadedThroughItsSignedLinkAreRecorded() throws Exception {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session stranger = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> uploaded = server().send(HttpRequest.newBuilder(server().uri("/api/v1/media"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.jpeg(64, 48))).build());
        String mediaId = json(uploaded, 201).path("mediaId").asString();

        HttpResponse<String>[] redirect = new HttpResponse[1];
        List<AuditEntry> viewed = during(() -> redirect[0] = server().get("/api/v1/media/" + mediaId + "?variant=thumbnail",
                parent.accessToken()));
        assertThat(redirect[0].statusCode()).isEqualTo(302);
        assertThat(viewed).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.MEDIA_VIEWED, parent.userId(), mediaId, "success"));
        assertThat(viewed.getFirst().detail()).containsEntry("variant", "thumbnail").containsEntry("owner", parent.userId())
                .containsEntry("signedLink", "false");

        List<AuditEntry> refused = during(() -> server().get("/api/v1/media/" + mediaId, stranger.accessToken()));
        assertThat(refused).extracting(AuditEntry::actor, AuditEntry::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(stranger.userId(), "not_found"));

        URI link = server().uri("/").resolve(redirect[0].headers().firstValue("Location").orElseThrow());
        List<AuditEntry> downloaded = during(() -> server().send(HttpRequest.newBuilder(link).GET().build()));
        assertThat(downloaded).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.MEDIA_DOWNLOADED, null, mediaId));
        assertThat(downloaded.getFirst().detail()).containsEntry("variant", "thumbnail").containsEntry("signedLink", "true");
        assertThat(downloaded.getFirst().address()).isEqualTo("127.0.0.1");
        assertThat(downloaded.toString()).doesNotContain(".jpg");

        List<AuditEntry> laterPart = during(() -> server().send(HttpRequest.newBuilder(link).header("Range", "bytes=10-20")
                .GET().build()));
        assertThat(laterPart).as("a later part of the same download").isEmpty();
    }

    @Test
    void anAccountsActivityShowsItsSignInsAndSessionsToItsOwnerOnly() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session other = TestAccounts.register(server(), UserType.PARENT);
        login(parent.email(), "Not-The-Password-999");
        Session second = TestAccounts.login(server(), parent);
        json(server().get("/api/v1/conversations?limit=5", parent.accessToken()), 200);

        JsonNode page = json(server().get("/api/v1/users/me/activity?limit=1", parent.accessToken()), 200);
        assertThat(page.path("items")).hasSize(1);
        JsonNode newest = page.path("items").get(0);
        assertThat(newest.path("action").asString()).isEqualTo("SIGN_IN");
        assertThat(newest.path("outcome").asString()).isEqualTo("success");
        assertThat(newest.path("ipAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(newest.path("at").asString()).endsWith("Z");
        JsonNode rest = json(server().get("/api/v1/users/me/activity?cursor=" + page.path("nextCursor").asString(),
                parent.accessToken()), 200);
        assertThat(rest.path("items")).hasSize(1);
        assertThat(rest.path("items").get(0).path("outcome").asString()).isEqualTo("invalid_credentials");
        assertThat(rest.path("nextCursor").isNull()).isTrue();

        assertThat(json(server().get("/api/v1/users/me/activity", other.accessToken()), 200).path("items")).isEmpty();
        assertThat(json(server().get("/api/v1/users/me/activity?cursor=" + page.path("nextCursor").asString(),
                other.accessToken()), 400).path("code").asString()).isEqualTo("bad_cursor");
        assertThat(json(server().get("/api/v1/users/me/activity?limit=101", second.accessToken()), 400)
                .path("code").asString()).isEqualTo("validation_failed");
        assertThat(server().get("/api/v1/users/me/activity", null).statusCode()).isEqualTo(401);
    }

    @Test
    void theOpenApiDocumentShowsTheActivityEndpointsAndNoAuditParameters() {
        JsonNode paths = json(server().get("/v3/api-docs", null), 200).path("paths");
        JsonNode conversation = paths.path("/api/v1/conversations/{conversationId}/activity").path("get");
        assertThat(conversation.path("responses").has("404")).isTrue();
        List<String> parameters = new ArrayList<>();
        conversation.path("parameters").forEach(p -> parameters.add(p.path("name").asString()));
        assertThat(parameters).containsExactlyInAnyOrder("conversationId", "limit", "cursor");
        assertThat(paths.path("/api/v1/users/me/activity").path("get").path("parameters").toString())
                .contains("\"maximum\":100");
        // the request's Who is resolved from the request, never a parameter a client could set
        paths.forEach(path -> path.forEach(operation -> operation.path("parameters").forEach(p ->
                assertThat(p.path("name").asString()).isNotIn("actor", "address", "session", "who"))));
    }
}
