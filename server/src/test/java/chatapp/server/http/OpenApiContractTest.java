package chatapp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.aws.MotoServer;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 19, finding 8: the published OpenAPI document ({@code /v3/api-docs}) describes exactly
 * what the server does. schemathesis (from the project's Python venv, {@code
 * scripts/test-requirements.txt}) runs every one of its checks against this real server (real
 * port, real SQLite file), with the document as the only description: responses, their status
 * codes, content types, headers and schemas; schema-valid requests accepted and schema-invalid
 * ones refused; 405 with {@code Allow} for other methods; authentication not ignored. Any finding
 * fails the build. Missing schemathesis fails the test, naming how to install it; it never skips.
 *
 * <p>Bounded and repeatable: a fixed number of examples per operation and a fixed seed, no
 * example database. The caller is a parent with an accepted conversation with a therapist, whose id
 * is given for every {@code conversationId} (so that those operations reach their rules: the
 * caller may block, unblock, send, read; unknown ids are 404, as ChatEndpointsTest shows). The operations that end a session (logout, logout
 * everywhere, ending a session by id) run with a second account's token, so that the first one
 * lives through the run; once that session has ended they answer 401, which the document lists.
 *
 * <p>Nothing is excluded. Where a schema cannot tell a request the server will accept, the
 * {@code positive_data_acceptance} check also accepts the one refusal that follows, per
 * operation, in {@link #CONFIG} with its reason (docs/decisions/0038-openapi-contract.md).
 */
class OpenApiContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Examples per operation and phase: the whole run stays within about a minute on two busy cores. */
    private static final int EXAMPLES = 10;
    private static final long SEED = 19;

    /**
     * schemathesis.toml. {@code ${...}} are read from the environment of the run. Each
     * {@code expected-statuses} widening names why a schema cannot say more. One filter key per
     * {@code [[operations]]}: several keys in one entry are alternatives, not all required.
     */
    static final String CONFIG = """
            headers = { Authorization = "Bearer ${CHATAPP_ST_TOKEN}" }

            # The caller's accepted conversation, so that the conversation operations reach their rules
            # (accept, decline, block, unblock, send, read, history) instead of a 404 for a made-up id.
            [parameters]
            conversationId = "${CHATAPP_ST_CONVERSATION}"

            # Ending a session: a second account's token, so that the caller's session lives on.
            [[operations]]
            include-path-regex = "^/api/v1/(auth/logout|auth/logout-all|users/me/sessions/[{]sessionId[}])$"
            headers = { Authorization = "Bearer ${CHATAPP_ST_SESSION_TOKEN}" }

            # Cursors are server-signed (HMAC) positions: a string of the right shape that the server
            # did not make for this list is 400 bad_cursor, as API.md says.
            [[operations]]
            include-name-regex = "^GET /api/v1/(conversations|conversations/requests|users|conversations/[{]conversationId[}]/messages|users/me/activity|conversations/[{]conversationId[}]/activity)$"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]

            # Sign-up refuses common passwords (a list of 10,000) and a password equal to the username
            # or email: 400 validation_failed naming the password.
            [[operations]]
            include-name = "POST /api/v1/auth/register"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "409", "429"]

            # A new password needs the current one (a secret), and specialization / childrenCount
            # depend on the caller's type: 400 validation_failed naming the field.
            [[operations]]
            include-name = "PATCH /api/v1/users/me"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "409"]

            # A photo or video message names an upload of the sender's, and text must not be blank
            # (spaces and invisible characters alone): 400 validation_failed naming content.value.
            [[operations]]
            include-name = "POST /api/v1/conversations/{conversationId}/messages"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]

            # Email links and one-click unsubscribe carry a secret the server made (issue 20): a token of
            # the right shape that it did not make, or that was used or has expired, is 400
            # validation_failed naming token (docs/api.md, "Email").
            [[operations]]
            include-path-regex = "^/api/v1/(auth/verify-email|auth/password-reset/confirm|unsubscribe)$"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404", "429"]

            # An edit's new text follows the rules of a send (not blank, no control characters):
            # 400 validation_failed naming content.value.
            [[operations]]
            include-name = "PATCH /api/v1/conversations/{conversationId}/messages/{messageId}"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]

            # An upload is judged by its bytes: anything but a real photo or video is 415.
            [[operations]]
            include-name = "POST /api/v1/media"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "413", "415", "429"]

            # Search: q must hold a word (a letter or a digit; anything else only separates words),
            # and cursors are server-signed: 400 validation_failed or bad_cursor.
            [[operations]]
            include-path-regex = "^/api/v1/(search|conversations/[{]conversationId[}]/search)$"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "404", "429"]
            # Notification preferences: timeZone must be an IANA id (no schema lists them all), a range
            # needs both ends, and the away message and stated hours are for therapists only: 400
            # validation_failed naming the field.
            [[operations]]
            include-name = "PUT /api/v1/users/me/preferences"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401"]

            # A push subscription's endpoint is a push service's https URL and its keys a P-256 point
            # and a 16-byte secret (base64url): 400 validation_failed naming the field.
            [[operations]]
            include-name = "POST /api/v1/users/me/push-subscriptions"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403"]
            # A display name must not mix scripts that look alike nor hold invisible or direction
            # characters, and bio, credentials and practice depend on the caller's type (therapists
            # only): 400 validation_failed naming the field.
            [[operations]]
            include-name = "PATCH /api/v1/users/me/profile"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "409"]

            # An avatar is judged by its bytes, as an upload: anything but a real photo is 415; a
            # multipart body without the part 'file' is 400 naming it.
            [[operations]]
            include-name = "PUT /api/v1/users/me/avatar"
            checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "409", "413", "415", "429"]
            """;

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void schemathesisWithEveryCheckFindsNothing() throws IOException, InterruptedException {
        Path st = schemathesis();
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> opened = server.post("/api/v1/conversations",
                "{\"peerId\":\"" + therapist.userId() + "\"}", parent.accessToken());
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        String conversationId = JSON.readTree(opened.body()).path("conversationId").asString();
        assertThat(server.post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"intro\",\"content\":{\"contentType\":\"text\",\"value\":\"Hello\"}}",
                parent.accessToken()).statusCode()).isEqualTo(201);
        assertThat(server.post("/api/v1/conversations/" + conversationId + "/accept", "{}", therapist.accessToken())
                .statusCode()).isEqualTo(200);
        TestAccounts.Session ending = TestAccounts.register(server, UserType.PARENT);

        // springdoc builds the document on its first request; on a busy machine that can take longer
        // than schemathesis waits for it (10 s), so it is built here first.
        assertThat(server.get("/v3/api-docs", null).statusCode()).isEqualTo(200);
        Path dir = Files.createTempDirectory("chatapp-schemathesis");
        Path config = dir.resolve("schemathesis.toml");
        Files.writeString(config, CONFIG);
        List<String> command = List.of(st.toString(), "--config-file", config.toString(), "--no-color", "run",
                server.uri("/v3/api-docs").toString(),
                "--checks", "all",
                "--max-examples", Integer.toString(EXAMPLES),
                "--seed", Long.toString(SEED),
                "--generation-database", "none",
                "--workers", "1",
                "--request-timeout", "10",
                "--report", "junit", "--report-dir", dir.resolve("report").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile());
        pb.environment().put("CHATAPP_ST_TOKEN", parent.accessToken());
        pb.environment().put("CHATAPP_ST_SESSION_TOKEN", ending.accessToken());
        pb.environment().put("CHATAPP_ST_CONVERSATION", conversationId);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("schemathesis did not finish within 5 minutes: "
                    + Files.readString(dir.resolve("output.txt")));
        }
        String output = Files.readString(dir.resolve("output.txt"));
        assertThat(p.exitValue()).as("schemathesis found a difference between the document and the server "
                + "(full output in %s):%n%s", dir, output).isZero();
        assertThat(output).as("every operation was tested").contains("Tested: ").doesNotContain("Tested: 0");
    }

    /**
     * The {@code st} command beside the venv's python ({@link MotoServer#python()}, which creates the
     * venv from scripts/test-requirements.txt when it is missing).
     *
     * @throws AssertionError if schemathesis is not installed there
     */
    private static Path schemathesis() {
        Path python = MotoServer.python();
        Path st = python.resolveSibling("st");
        if (!Files.isExecutable(st)) {
            throw new AssertionError("schemathesis is not installed beside " + python + ": run "
                    + python.resolveSibling("pip") + " install -r scripts/test-requirements.txt (.ci/run does)");
        }
        return st;
    }
}
