package chatapp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RawHttp;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests an attacker sends to find a 500, over real sockets: wildcard or unknown
 * Content-Types, broken multipart bodies, duplicate JSON keys, repeated query parameters,
 * an empty {@code variant=}, {@code Accept: text/html} or one that does not parse, YAML bodies,
 * compressed or UTF-16 bodies, a request line with {@code HTTP/9.9}.
 * Each is a 4xx problem document with a detail that says what to send, and no stack trace in
 * the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static URI base() {
        return server.uri("/");
    }

    private static JsonNode problem(RawHttp.Response r, int status, String code) {
        return r.problem(status, code);
    }


    private static JsonNode problem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("code").asString()).as(r.body()).isEqualTo(code);
        return body;
    }

    private static RawHttp.Response post(String path, String contentType, String token, byte[] body) {
        return RawHttp.exchange(base(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length, body);
    }

    private static void assertNoErrorLogged(CapturedOutput output) {
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("unhandled error");
    }

    @Test
    void aWildcardOrUnknownContentTypeIs415NamingWhatIsAccepted(CapturedOutput output) {
        byte[] login = "{\"email\":\"x@example.org\",\"password\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"*/*", "application/*", "text/*", "image/*", "*/*;charset=UTF-8"}) {
            JsonNode body = problem(post("/api/v1/auth/login", type, null, login), 415, "unsupported_media");
            assertThat(body.path("detail").asString()).as(type).contains("application/json");
        }
        JsonNode bogus = problem(post("/api/v1/auth/login", "application/json;charset=bogus", null, login), 415,
                "unsupported_media");
        assertThat(bogus.path("detail").asString()).contains("charset 'bogus'").contains("unknown");
        JsonNode text = problem(post("/api/v1/auth/login", "text/plain", null, login), 415, "unsupported_media");
        assertThat(text.path("detail").asString()).contains("text/plain").contains("application/json");

        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        JsonNode media = problem(post("/api/v1/media", "image/*", parent.accessToken(), new byte[] {1, 2, 3}), 415,
                "unsupported_media");
        assertThat(media.path("detail").asString()).contains("multipart/form-data");
        assertNoErrorLogged(output);
    }

    @Test
    void aBrokenMultipartBodyIs400WithoutAStackTrace(CapturedOutput output) {
        byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
        problem(post("/api/v1/auth/register", "multipart/form-data", null, garbage), 400, "bad_request");
        problem(post("/api/v1/auth/register", "multipart/form-data; boundary=", null, garbage), 400, "bad_request");
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        byte[] truncated = ("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc")
                .getBytes(StandardCharsets.UTF_8);
        JsonNode body = problem(post("/api/v1/media", "multipart/form-data; boundary=xyz", parent.accessToken(),
                truncated), 400, "bad_request");
        assertThat(body.path("detail").asString()).contains("multipart");
        problem(post("/api/v1/media", "multipart/form-data", parent.accessToken(), garbage), 400, "bad_request");
        assertNoErrorLogged(output);
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingIt() {
        HttpResponse<String> login = server.post("/api/v1/auth/login",
                "{\"email\":\"a@example.org\",\"email\":\"b@example.org\",\"password\":\"x\"}", null);
        JsonNode body = problem(login, 400, "validation_failed");
        assertThat(body.path("errors").get(0).path("field").asString()).isEqualTo("email");
        assertThat(body.path("detail").asString()).contains("email");

        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> open = server.post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        String messages = "/api/v1/conversations/" + JSON.readTree(open.body()).path("conversationId").asString()
                + "/messages";
        HttpResponse<String> nested = server.post(messages, "{\"clientMessageId\":\"d-1\",\"content\":{\"contentType\":"
                + "\"text\",\"value\":\"one\",\"value\":\"two\"}}", parent.accessToken());
        assertThat(problem(nested, 400, "validation_failed").path("errors").get(0).path("field").asString())
                .isEqualTo("content.value");
        assertThat(server.get(messages, parent.accessToken()).body()).as("nothing was stored").contains("\"items\":[]");
    }

    @Test
    void aRepeatedQueryParameterOrAnEmptyVariantIs400NamingIt() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        for (String query : new String[] {"/api/v1/users?limit=1&limit=2", "/api/v1/users?cursor=a&cursor=b",
                "/api/v1/conversations?limit=1&limit=1", "/api/v1/conversations/c/messages?after=a&after=b",
                "/api/v1/media/m?variant=original&variant=thumbnail"}) {
            JsonNode body = problem(server.get(query, parent.accessToken()), 400, "validation_failed");
            String name = query.substring(query.lastIndexOf('&') + 1, query.lastIndexOf('='));
            assertThat(body.path("errors").get(0).path("field").asString()).as(query).isEqualTo(name);
        }
        HttpResponse<String> photo = server.send(HttpRequest.newBuilder(server.uri("/api/v1/media"))
                .header("Authorization", "Bearer " + parent.accessToken()).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png())).build());
        assertThat(photo.statusCode()).as(photo.body()).isEqualTo(201);
        String mediaId = JSON.readTree(photo.body()).path("mediaId").asString();
        JsonNode empty = problem(server.get("/api/v1/media/" + mediaId + "?variant=", parent.accessToken()), 400,
                "validation_failed");
        assertThat(empty.path("errors").get(0).path("field").asString()).isEqualTo("variant");
        assertThat(server.get("/api/v1/media/" + mediaId, parent.accessToken()).statusCode()).isEqualTo(302);
    }

    /**
     * Issue 19, finding 8: a query parameter without a value ({@code ?limit=}) was read as absent
     * and answered with the default. Every one is now 400 naming it, as the OpenAPI document says.
     */
    @Test
    void anEmptyQueryParameterIs400NamingIt() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        String[][] cases = {
                {"/api/v1/conversations?limit=", "limit"},
                {"/api/v1/conversations?limit", "limit"},
                {"/api/v1/conversations/requests?cursor=", "cursor"},
                {"/api/v1/users?type=therapist&q=", "q"},
                {"/api/v1/users?type=&limit=5", "type"},
                {"/api/v1/conversations/nope/messages?after=", "after"}};
        for (String[] c : cases) {
            JsonNode body = problem(server.get(c[0], parent.accessToken()), 400, "validation_failed");
            assertThat(body.path("errors").get(0).path("field").asString()).as(c[0]).isEqualTo(c[1]);
            assertThat(body.path("detail").asString()).as(c[0]).contains("'" + c[1] + "' is empty")
                    .contains("leave it out");
        }
        assertThat(server.get("/api/v1/conversations?limit=5", parent.accessToken()).statusCode()).isEqualTo(200);
    }

    /** A method no endpoint has is 405 with Allow (it was the firewall's 400), like a known one on the wrong path. */
    @Test
    void anUnknownMethodIs405WithAllow(CapturedOutput output) {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        for (String method : new String[] {"QUERY", "PROPFIND", "PUT"}) {
            RawHttp.Response r = RawHttp.exchange(base(), method + " /api/v1/users/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nAuthorization: Bearer " + parent.accessToken(), new byte[0]);
            assertThat(r.status()).as(method + ": " + r.body()).isEqualTo(405);
            assertThat(r.header("Allow")).as(method).contains("GET").contains("PATCH");
            assertThat(r.body()).contains("method_not_allowed");
        }
        assertNoErrorLogged(output);
    }

    /** Issue 19: a logout with the access token alone (no body, or no refreshToken) ends that session. */
    @Test
    void aLogoutWithoutARefreshTokenEndsTheSessionOfItsAccessToken() {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        HttpResponse<String> bare = server.send(HttpRequest.newBuilder(server.uri("/api/v1/auth/logout"))
                .header("Authorization", "Bearer " + parent.accessToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(204);
        assertThat(server.get("/api/v1/users/me", parent.accessToken()).statusCode()).isEqualTo(401);
        assertThat(server.post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + parent.refreshToken() + "\"}", null)
                .statusCode()).as("the session's refresh chain ended too").isEqualTo(401);

        TestAccounts.Session again = TestAccounts.login(server, parent);
        assertThat(server.post("/api/v1/auth/logout", "{}", again.accessToken()).statusCode()).isEqualTo(204);
        assertThat(server.get("/api/v1/users/me", again.accessToken()).statusCode()).isEqualTo(401);

        TestAccounts.Session third = TestAccounts.login(server, parent);
        JsonNode blank = problem(server.post("/api/v1/auth/logout", "{\"refreshToken\":\" \"}", third.accessToken()),
                400, "validation_failed");
        assertThat(blank.path("errors").get(0).path("field").asString()).isEqualTo("refreshToken");
    }

    @Test
    void acceptingOnlyHtmlIs406SayingWhatTheApiAnswers() {
        RawHttp.Response r = RawHttp.exchange(base(), "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nAccept: text/html\r\nContent-Type: application/json\r\nContent-Length: 2", "{}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(406);
        assertThat(r.body()).contains("application/json").contains("application/problem+json")
                .doesNotContainIgnoringCase("<html");
    }

    @Test
    void anUnknownHttpVersionIs400NotA5xx() {
        RawHttp.Response r = RawHttp.exchange(base(), "GET /api/v1/users/me HTTP/9.9\r\nHost: 127.0.0.1\r\n"
                + "Connection: close", null);
        assertThat(problem(r, 400, "bad_request").path("detail").asString()).contains("HTTP/1.1");
    }

    private static String field(HttpResponse<String> r) {
        JsonNode body = problem(r, 400, "validation_failed");
        assertThat(body.path("detail").asString()).isNotBlank();
        return body.path("errors").get(0).path("field").asString();
    }

    private static String registration(String username, String email, String password, String type, String extra) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"password\":\"" + password
                + "\",\"userType\":\"" + type + "\"" + extra + "}";
    }

    @Test
    void unpairedSurrogatesAndControlCharactersInAccountFieldsAreRefusedNamingTheField(CapturedOutput output) {
        String pw = TestAccounts.PASSWORD;
        String register = "/api/v1/auth/register";
        assertThat(field(server.post(register, registration("sur-1", "sur-1@example.org", pw + "\\ud800", "parent", ""),
                null))).isEqualTo("password");
        assertThat(field(server.post(register, registration("sur-2", "s\\udc00r-2@example.org", pw, "parent", ""),
                null))).isEqualTo("email");
        assertThat(field(server.post(register, registration("sur-3\\ud800", "sur-3@example.org", pw, "parent", ""),
                null))).isEqualTo("username");
        assertThat(field(server.post(register, registration("sur-4", "sur-4@example.org", pw, "therapist",
                ",\"specialization\":\"Speech\\ud83d\""), null))).isEqualTo("specialization");
        assertThat(field(server.post(register, registration("sur-5", "sur-5@example.org", pw, "therapist",
                ",\"specialization\":\"\\u200b\\u2060\""), null))).isEqualTo("specialization");
        HttpResponse<String> nul = server.post(register, registration("sur-6", "sur-6@example.org", pw + "\\u0000",
                "parent", ""), null);
        assertThat(field(nul)).isEqualTo("password");
        assertThat(nul.body()).contains("U+0000");
        assertThat(field(server.post(register, registration("sur-7", "sur-7@example.org", "Tidy\\u001bLantern-Orbit",
                "parent", ""), null))).isEqualTo("password");

        assertThat(field(server.post("/api/v1/auth/login", "{\"email\":\"a@example.org\",\"password\":\"x\\ud800\"}",
                null))).isEqualTo("password");
        assertThat(field(server.post("/api/v1/auth/login", "{\"email\":\"a\\udfff@example.org\",\"password\":\"x\"}",
                null))).isEqualTo("email");

        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        for (String[] patch : new String[][] {
                {"{\"password\":\"" + pw + "\\ud800\",\"currentPassword\":\"" + pw + "\"}", "password"},
                {"{\"password\":\"New-" + pw + "\",\"currentPassword\":\"" + pw + "\\udc00\"}", "currentPassword"},
                {"{\"password\":\"New\\u0000" + pw + "\",\"currentPassword\":\"" + pw + "\"}", "password"},
                {"{\"specialization\":\"\\u200b\"}", "specialization"},
                {"{\"specialization\":\"Play\\udc00\"}", "specialization"},
                {"{\"username\":\"x\\ud800yz\"}", "username"}}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/api/v1/users/me"))
                    .header("Authorization", "Bearer " + therapist.accessToken())
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(patch[0])).build());
            assertThat(field(r)).as(patch[0]).isEqualTo(patch[1]);
        }
        assertThat(server.get("/api/v1/users/me", therapist.accessToken()).body()).as("nothing changed")
                .doesNotContain("\\u").contains("\"specialization\":\"");
        TestAccounts.login(server, therapist); // the password is unchanged
        assertNoErrorLogged(output);
    }

    private static byte[] bytes(String... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1)); // each char one byte, as written
        }
        return out.toByteArray();
    }

    @Test
    void overlongOrBrokenUtf8IsABadRequestNotAnotherName() {
        TestAccounts.Session pat = TestAccounts.register(server, UserType.PARENT);
        String local = pat.email().substring(0, pat.email().indexOf('@'));
        String domain = pat.email().substring(pat.email().indexOf('@'));
        // the first letter again, as the overlong two-byte form C1 xx (for 'a'..'z': C1 A1..C1 BA)
        char first = local.charAt(0);
        String overlong = new String(new char[] {(char) (0xC0 | (first >> 6)), (char) (0x80 | (first & 0x3F))});
        byte[] login = bytes("{\"email\":\"", overlong, local.substring(1), domain, "\",\"password\":\"",
                pat.password(), "\"}");
        JsonNode body = problem(post("/api/v1/auth/login", "application/json", null, login), 400, "bad_request");
        assertThat(body.path("detail").asString()).contains("UTF-8");

        for (String bad : new String[] {"a\u00C0\u00AFb", "\u00ED\u00A0\u0080", "\u00F4\u0090\u0080\u0080", "\u00FF",
                "\u00E2\u0082"}) {
            byte[] register = bytes("{\"username\":\"", bad, "\",\"email\":\"u8@example.org\",\"password\":\"",
                    TestAccounts.PASSWORD, "\",\"userType\":\"parent\"}");
            problem(post("/api/v1/auth/register", "application/json; charset=UTF-8", null, register), 400,
                    "bad_request");
        }
        byte[] cutShort = bytes("{\"email\":\"x@example.org\",\"password\":\"x\u00E2\u0082");
        problem(post("/api/v1/auth/login", "application/json", null, cutShort), 400, "bad_request");

        String heart = "\u00E2\u009D\u00A4"; // U+2764 as UTF-8: still fine
        byte[] fine = bytes("{\"email\":\"", heart, "@example.org\",\"password\":\"x\"}");
        assertThat(post("/api/v1/auth/login", "application/json", null, fine).status()).isEqualTo(401);
    }

    private static RawHttp.Response request(String method, String path, String headers, byte[] body) {
        return RawHttp.exchange(base(), method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headers + (body == null ? "" : "\r\nContent-Length: " + body.length), body);
    }

    @Test
    void aYamlBodyIs415AndNoRefusalAdvertisesYaml(CapturedOutput output) {
        TestAccounts.Session pat = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session sam = TestAccounts.register(server, UserType.PARENT);
        byte[] yaml = ("email: " + pat.email() + "\nemail: " + sam.email() + "\npassword: " + sam.password() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        for (String type : new String[] {"application/yaml", "application/x-yaml", "text/yaml",
                "application/yaml;charset=UTF-8"}) {
            RawHttp.Response r = post("/api/v1/auth/login", type, null, yaml);
            String detail = problem(r, 415, "unsupported_media").path("detail").asString();
            assertThat(detail).as(type).contains("send application/json");
            assertThat(detail.substring(detail.indexOf("send "))).as("what is accepted").doesNotContainIgnoringCase("yaml");
            assertThat(r.body()).as("no tokens for anyone").doesNotContain("accessToken");
        }
        JsonNode text = problem(post("/api/v1/auth/login", "text/plain", null, yaml), 415, "unsupported_media");
        assertThat(text.path("detail").asString()).contains("send application/json").doesNotContainIgnoringCase("yaml");
        // scalar coercion through YAML: a number where a string belongs
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        RawHttp.Response patch = request("PATCH", "/api/v1/users/me", "Authorization: Bearer " + parent.accessToken()
                + "\r\nContent-Type: application/yaml", "username: 12345\n".getBytes(StandardCharsets.UTF_8));
        problem(patch, 415, "unsupported_media");
        assertThat(server.get("/api/v1/users/me", parent.accessToken()).body()).doesNotContain("\"12345\"");
        // answers are JSON only, too
        RawHttp.Response asYaml = request("GET", "/api/v1/users/me", "Authorization: Bearer " + parent.accessToken()
                + "\r\nAccept: application/yaml", null);
        assertThat(asYaml.status()).isEqualTo(406);
        HttpResponse<String> apiDocs = server.get("/v3/api-docs.yaml", null);
        assertThat(apiDocs.statusCode()).isEqualTo(200);
        assertThat(apiDocs.body()).startsWith("openapi:");
        assertNoErrorLogged(output);
    }

    @Test
    void anUnparseableAcceptIs400BeforeTheEndpointRuns(CapturedOutput output) {
        TestAccounts.Session parent = TestAccounts.register(server, UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server, UserType.THERAPIST);
        HttpResponse<String> open = server.post("/api/v1/conversations", "{\"peerId\":\"" + therapist.userId() + "\"}",
                parent.accessToken());
        String messages = "/api/v1/conversations/" + JSON.readTree(open.body()).path("conversationId").asString()
                + "/messages";
        byte[] message = "{\"clientMessageId\":\"acc-1\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}"
                .getBytes(StandardCharsets.UTF_8);
        for (String accept : new String[] {"foo", "application/json;q=abc", "application/json, text/html;q=2"}) {
            RawHttp.Response sent = request("POST", messages, "Authorization: Bearer " + parent.accessToken()
                    + "\r\nContent-Type: application/json\r\nAccept: " + accept, message);
            assertThat(problem(sent, 400, "bad_request").path("detail").asString()).as(accept)
                    .contains("the Accept header cannot be parsed");
        }
        assertThat(server.get(messages, parent.accessToken()).body()).as("nothing was stored").contains("\"items\":[]");

        byte[] register = registration("acc-new", "acc-new@example.org", TestAccounts.PASSWORD, "parent", "")
                .getBytes(StandardCharsets.UTF_8);
        problem(request("POST", "/api/v1/auth/register", "Content-Type: application/json\r\nAccept: foo", register), 400,
                "bad_request");
        assertThat(server.post("/api/v1/auth/login", "{\"email\":\"acc-new@example.org\",\"password\":\""
                + TestAccounts.PASSWORD + "\"}", null).statusCode()).as("no account was created").isEqualTo(401);

        byte[] refresh = ("{\"refreshToken\":\"" + parent.refreshToken() + "\"}").getBytes(StandardCharsets.UTF_8);
        problem(request("POST", "/api/v1/auth/refresh", "Content-Type: application/json\r\nAccept: application/json;q=abc",
                refresh), 400, "bad_request");
        assertThat(server.post("/api/v1/auth/refresh", new String(refresh, StandardCharsets.UTF_8), null).statusCode())
                .as("the refresh token was not rotated").isEqualTo(200);

        RawHttp.Response html = request("POST", messages, "Authorization: Bearer " + parent.accessToken()
                + "\r\nContent-Type: application/json\r\nAccept: text/html", message);
        assertThat(html.status()).isEqualTo(406);
        assertThat(JSON.readTree(html.body()).path("detail").asString()).contains("application/json")
                .contains("text/html").doesNotContain("cannot be parsed");
        assertThat(server.get(messages, parent.accessToken()).body()).as("nothing was stored").contains("\"items\":[]");
        assertNoErrorLogged(output);
    }

    @Test
    void aCompressedOrNonUtf8BodyIs415(CapturedOutput output) throws java.io.IOException {
        TestAccounts.Session pat = TestAccounts.register(server, UserType.PARENT);
        String login = "{\"email\":\"" + pat.email() + "\",\"password\":\"" + pat.password() + "\"}";
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
            gzip.write(login.getBytes(StandardCharsets.UTF_8));
        }
        for (String coding : new String[] {"gzip", "deflate", "br"}) {
            RawHttp.Response r = request("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n"
                    + "Content-Encoding: " + coding, zipped.toByteArray());
            assertThat(problem(r, 415, "unsupported_media").path("detail").asString()).as(coding)
                    .contains("Content-Encoding").contains("not accepted");
        }
        for (String charset : new String[] {"UTF-16", "ISO-8859-1", "utf-16le"}) {
            RawHttp.Response r = post("/api/v1/auth/login", "application/json; charset=" + charset, null,
                    login.getBytes(java.nio.charset.Charset.forName(charset)));
            assertThat(problem(r, 415, "unsupported_media").path("detail").asString()).as(charset)
                    .contains(charset).contains("send UTF-8");
        }
        for (String utf8 : new String[] {"utf-8", "UTF8"}) {
            assertThat(post("/api/v1/auth/login", "application/json; charset=" + utf8, null,
                    login.getBytes(StandardCharsets.UTF_8)).status()).as(utf8).isEqualTo(200);
        }
        RawHttp.Response identity = request("POST", "/api/v1/auth/login", "Content-Type: application/json\r\n"
                + "Content-Encoding: identity", login.getBytes(StandardCharsets.UTF_8));
        assertThat(identity.status()).isEqualTo(200);
        assertNoErrorLogged(output);
    }

    /** A 2x2 PNG made by the JDK. */
    static byte[] png() {
        try {
            var image = new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
            var out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
