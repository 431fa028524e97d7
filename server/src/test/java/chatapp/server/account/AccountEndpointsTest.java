package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.SigningKeys;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auth and users endpoints of API.md over real HTTP. Abstract: run on each store by
 * {@link SqliteAccountEndpointsTest} and {@link DynamoAccountEndpointsTest}.
 */
abstract class AccountEndpointsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static String registration(String username, String email, String password, String type, String extra) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"password\":\"" + password
                + "\",\"userType\":\"" + type + "\"" + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void registerAnswers201WithTheOwnViewAndATokenPairThatWorks() {
        HttpResponse<String> r = server().post("/api/v1/auth/register", registration("Dana.K", "  Dana.K@Example.ORG ",
                TestAccounts.PASSWORD, "therapist", "\"specialization\":\"Play therapy\""), null);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("expiresIn").asInt()).isEqualTo(900);
        JsonNode user = body.get("user");
        assertThat(user.get("username").asString()).isEqualTo("Dana.K");
        assertThat(user.get("email").asString()).isEqualTo("dana.k@example.org");
        assertThat(user.get("userType").asString()).isEqualTo("therapist");
        assertThat(user.get("specialization").asString()).isEqualTo("Play therapy");
        assertThat(user.has("childrenCount")).isFalse();
        assertThat(user.get("createdAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(body.get("refreshToken").asString()).hasSizeGreaterThanOrEqualTo(40);

        HttpResponse<String> me = server().get("/api/v1/users/me", body.get("accessToken").asString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me)).isEqualTo(user);
    }

    @Test
    void loginByEmailInAnyCaseGivesANewPairAndTheOwnView() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> r = server().post("/api/v1/auth/login",
                "{\"email\":\"" + parent.email().toUpperCase() + "\",\"password\":\"" + TestAccounts.PASSWORD + "\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("user").get("userId").asString()).isEqualTo(parent.userId());
        assertThat(body.get("user").get("childrenCount").asInt()).isEqualTo(2);
        assertThat(body.get("refreshToken").asString()).isNotEqualTo(parent.refreshToken());
        assertThat(server().get("/api/v1/users/me", body.get("accessToken").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSame401Body() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> wrong = server().post("/api/v1/auth/login",
                "{\"email\":\"" + parent.email() + "\",\"password\":\"Not-The-Password-99\"}", null);
        HttpResponse<String> unknown = server().post("/api/v1/auth/login",
                "{\"email\":\"nobody-" + parent.username() + "@example.org\",\"password\":\"Not-The-Password-99\"}", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body()).contains("\"code\":\"invalid_credentials\"");
        assertThat(wrong.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void anotherUsersPublicViewHasNoEmailAndAnUnknownIdIs404() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        HttpResponse<String> r = server().get("/api/v1/users/" + therapist.userId(), parent.accessToken());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode view = json(r);
        assertThat(view.get("userId").asString()).isEqualTo(therapist.userId());
        assertThat(view.get("username").asString()).isEqualTo(therapist.username());
        assertThat(view.get("specialization").asString()).isEqualTo("Speech therapy");
        assertThat(view.has("email")).isFalse();
        assertThat(r.body()).doesNotContain(therapist.email()).doesNotContain("argon2").doesNotContain("password");

        HttpResponse<String> missing = server().get("/api/v1/users/no-such-user", parent.accessToken());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"not_found\"");
    }

    @Test
    void aTakenEmailOrUsernameIs409WithItsCode() {
        TestAccounts.Session first = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> sameEmail = server().post("/api/v1/auth/register", registration("Someone-" + first.username().length(),
                first.email().toUpperCase(), TestAccounts.PASSWORD, "parent", null), null);
        assertThat(sameEmail.statusCode()).isEqualTo(409);
        assertThat(sameEmail.body()).contains("\"code\":\"email_taken\"");
        HttpResponse<String> sameName = server().post("/api/v1/auth/register", registration(first.username().toUpperCase(),
                "other-" + first.email(), TestAccounts.PASSWORD, "parent", null), null);
        assertThat(sameName.statusCode()).isEqualTo(409);
        assertThat(sameName.body()).contains("\"code\":\"username_taken\"");
    }

    @Test
    void everyInvalidFieldIsNamedIn400() {
        HttpResponse<String> r = server().post("/api/v1/auth/register",
                registration("x", "not-an-email", "short", "admin", "\"childrenCount\":3"), null);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("code").asString()).isEqualTo("validation_failed");
        assertThat(body.get("errors").valueStream().map(e -> e.get("field").asString()))
                .contains("username", "email", "password", "userType");
    }

    @Test
    void aGarbledTokenIs401ProblemAndNoTokenIs401() {
        HttpResponse<String> garbled = server().get("/api/v1/users/me", "not.a.jwt");
        assertThat(garbled.statusCode()).isEqualTo(401);
        assertThat(garbled.body()).contains("\"code\":\"invalid_token\"");
        assertThat(garbled.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(server().get("/api/v1/users/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unsignedExpiredForeignAndTamperedTokensAre401() throws Exception {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        SigningKeys keys = server().context().getBean(SigningKeys.class);
        Instant now = Instant.now();
        JWTClaimsSet valid = claims(parent.userId(), now.minusSeconds(10), now.plusSeconds(600));

        String unsigned = new PlainJWT(valid).serialize(); // alg: none
        String expired = sign(claims(parent.userId(), now.minusSeconds(3600), now.minusSeconds(120)), keys.tokenKey(), keys.keyId());
        String foreignKey = sign(valid, new byte[32], keys.keyId());
        String unknownKid = sign(valid, keys.tokenKey(), "another-key");
        String[] parts = parent.accessToken().split("\\.");
        String otherUser = sign(claims("someone-else", now.minusSeconds(10), now.plusSeconds(600)), keys.tokenKey(), keys.keyId());
        String tampered = parts[0] + "." + otherUser.split("\\.")[1] + "." + parts[2];

        assertThat(sign(valid, keys.tokenKey(), keys.keyId())).as("the control token is accepted")
                .satisfies(t -> assertThat(server().get("/api/v1/users/me", t).statusCode()).isEqualTo(200));
        for (String token : new String[] {unsigned, expired, foreignKey, unknownKid, tampered}) {
            HttpResponse<String> r = server().get("/api/v1/users/me", token);
            assertThat(r.statusCode()).as(token).isEqualTo(401);
            assertThat(r.body()).contains("\"code\":\"invalid_token\"");
        }
    }

    static JWTClaimsSet claims(String userId, Instant issued, Instant expires) {
        return new JWTClaimsSet.Builder().issuer("chatapp").subject(userId).claim("sid", "s")
                .issueTime(Date.from(issued)).expirationTime(Date.from(expires)).build();
    }

    static String sign(JWTClaimsSet claims, byte[] key, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
