package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.security.SigningKeys;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import chatapp.account.User;
import chatapp.account.UserStore;
import chatapp.core.Ids;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Date;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
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

    HttpResponse<String> post(String path, String json, String token) {
        return ResponseLog.send(server(), "POST", path, json, token);
    }

    HttpResponse<String> get(String path, String token) {
        return ResponseLog.send(server(), "GET", path, null, token);
    }

    HttpResponse<String> patch(String path, String json, String token) {
        return ResponseLog.send(server(), "PATCH", path, json, token);
    }

    /** Every response body of the suite's account calls: no password, no hash, no other user's email. */
    @AfterAll
    static void noResponseShowsAPasswordAHashOrAnotherUsersEmail() {
        assertThat(ResponseLog.size()).as("the log holds the suite's calls").isGreaterThan(50);
        assertThat(ResponseLog.leaks()).isEmpty();
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    static String registration(String username, String email, String password, String type, String extra) {
        return "{\"username\":\"" + username + "\",\"email\":\"" + email + "\",\"password\":\"" + password
                + "\",\"userType\":\"" + type + "\"" + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void registerAnswers201WithTheOwnViewAndATokenPairThatWorks() {
        HttpResponse<String> r = post("/api/v1/auth/register", registration("Dana.K", "  Dana.K@Example.ORG ",
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

        HttpResponse<String> me = get("/api/v1/users/me", body.get("accessToken").asString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me)).isEqualTo(user);
    }

    @Test
    void loginByEmailInAnyCaseGivesANewPairAndTheOwnView() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> r = post("/api/v1/auth/login",
                "{\"email\":\"" + parent.email().toUpperCase() + "\",\"password\":\"" + TestAccounts.PASSWORD + "\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("user").get("userId").asString()).isEqualTo(parent.userId());
        assertThat(body.get("user").get("childrenCount").asInt()).isEqualTo(2);
        assertThat(body.get("refreshToken").asString()).isNotEqualTo(parent.refreshToken());
        assertThat(get("/api/v1/users/me", body.get("accessToken").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSame401Body() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> wrong = post("/api/v1/auth/login",
                "{\"email\":\"" + parent.email() + "\",\"password\":\"Not-The-Password-99\"}", null);
        HttpResponse<String> unknown = post("/api/v1/auth/login",
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
        HttpResponse<String> r = get("/api/v1/users/" + therapist.userId(), parent.accessToken());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode view = json(r);
        assertThat(view.get("userId").asString()).isEqualTo(therapist.userId());
        assertThat(view.get("username").asString()).isEqualTo(therapist.username());
        assertThat(view.get("specialization").asString()).isEqualTo("Speech therapy");
        assertThat(view.has("email")).isFalse();
        assertThat(r.body()).doesNotContain(therapist.email()).doesNotContain("argon2").doesNotContain("password");

        HttpResponse<String> missing = get("/api/v1/users/no-such-user", parent.accessToken());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"not_found\"");
    }

    @Test
    void aTakenEmailOrUsernameIs409WithItsCode() {
        TestAccounts.Session first = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> sameEmail = post("/api/v1/auth/register", registration("Someone-" + first.username().length(),
                first.email().toUpperCase(), TestAccounts.PASSWORD, "parent", null), null);
        assertThat(sameEmail.statusCode()).isEqualTo(409);
        assertThat(sameEmail.body()).contains("\"code\":\"email_taken\"");
        HttpResponse<String> sameName = post("/api/v1/auth/register", registration(first.username().toUpperCase(),
                "other-" + first.email(), TestAccounts.PASSWORD, "parent", null), null);
        assertThat(sameName.statusCode()).isEqualTo(409);
        assertThat(sameName.body()).contains("\"code\":\"username_taken\"");
    }

    @Test
    void everyInvalidFieldIsNamedIn400() {
        HttpResponse<String> r = post("/api/v1/auth/register",
                registration("x", "not-an-email", "short", "admin", "\"childrenCount\":3"), null);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("code").asString()).isEqualTo("validation_failed");
        assertThat(body.get("errors").valueStream().map(e -> e.get("field").asString()))
                .contains("username", "email", "password", "userType");
    }

    @Test
    void aGarbledTokenIs401ProblemAndNoTokenIs401() {
        HttpResponse<String> garbled = get("/api/v1/users/me", "not.a.jwt");
        assertThat(garbled.statusCode()).isEqualTo(401);
        assertThat(garbled.body()).contains("\"code\":\"invalid_token\"");
        assertThat(garbled.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(get("/api/v1/users/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unsignedExpiredForeignAndTamperedTokensAre401() throws Exception {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        SigningKeys keys = server().context().getBean(SigningKeys.class);
        Instant now = Instant.now();
        // The control token names the parent's live session (a token of no live session is refused too).
        String sid = SignedJWT.parse(parent.accessToken()).getJWTClaimsSet().getStringClaim("sid");
        JWTClaimsSet valid = new JWTClaimsSet.Builder(claims(parent.userId(), now.minusSeconds(10), now.plusSeconds(600)))
                .claim("sid", sid).build();
        String noSession = sign(claims(parent.userId(), now.minusSeconds(10), now.plusSeconds(600)), keys.tokenKey(),
                keys.keyId());

        String unsigned = new PlainJWT(valid).serialize(); // alg: none
        String expired = sign(claims(parent.userId(), now.minusSeconds(3600), now.minusSeconds(120)), keys.tokenKey(), keys.keyId());
        String foreignKey = sign(valid, new byte[32], keys.keyId());
        String unknownKid = sign(valid, keys.tokenKey(), "another-key");
        String[] parts = parent.accessToken().split("\\.");
        String otherUser = sign(claims("someone-else", now.minusSeconds(10), now.plusSeconds(600)), keys.tokenKey(), keys.keyId());
        String tampered = parts[0] + "." + otherUser.split("\\.")[1] + "." + parts[2];

        String control = sign(valid, keys.tokenKey(), keys.keyId());
        ResponseLog.minted(control, parent.email());
        assertThat(get("/api/v1/users/me", control).statusCode()).as("the control token is accepted").isEqualTo(200);
        for (String token : new String[] {unsigned, expired, foreignKey, unknownKid, tampered, noSession}) {
            HttpResponse<String> r = get("/api/v1/users/me", token);
            assertThat(r.statusCode()).as(token).isEqualTo(401);
            assertThat(r.body()).contains("\"code\":\"invalid_token\"");
        }
    }

    HttpResponse<String> refresh(String refreshToken) {
        return post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}", null);
    }

    @Test
    void refreshRotatesARepeatWithinTheGraceWindowGetsTheSamePairAndOlderReuseRevokesTheChain() {
        TestAccounts.Session s = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> first = refresh(s.refreshToken());
        assertThat(first.statusCode()).isEqualTo(200);
        TestAccounts.Session next = TestAccounts.session(first.body(), s.password());
        assertThat(next.userId()).isEqualTo(s.userId());
        assertThat(next.refreshToken()).isNotEqualTo(s.refreshToken());
        assertThat(get("/api/v1/users/me", next.accessToken()).statusCode()).isEqualTo(200);

        // The answer to the first refresh was lost (a reload cut it off): the client repeats the
        // old token at once and gets the same successor; nothing is revoked.
        HttpResponse<String> repeat = refresh(s.refreshToken());
        assertThat(repeat.statusCode()).isEqualTo(200);
        TestAccounts.Session repeated = TestAccounts.session(repeat.body(), s.password());
        assertThat(repeated.refreshToken()).isEqualTo(next.refreshToken());
        assertThat(get("/api/v1/users/me", repeated.accessToken()).statusCode()).isEqualTo(200);

        HttpResponse<String> second = refresh(next.refreshToken());
        assertThat(second.statusCode()).as("the chain lives on").isEqualTo(200);
        TestAccounts.Session third = TestAccounts.session(second.body(), s.password());

        HttpResponse<String> replay = refresh(s.refreshToken());
        assertThat(replay.statusCode()).as("two generations old: reuse").isEqualTo(401);
        assertThat(replay.body()).contains("\"code\":\"invalid_token\"");
        assertThat(refresh(third.refreshToken()).statusCode()).as("the chain is revoked").isEqualTo(401);
        assertThat(refresh("garbage").statusCode()).isEqualTo(401);
    }

    @Test
    void logoutNeedsTheAccessTokenAndRevokesThatRefreshTokenOnly() {
        TestAccounts.Session phone = TestAccounts.register(server(), UserType.THERAPIST);
        TestAccounts.Session laptop = TestAccounts.login(server(), phone);
        String body = "{\"refreshToken\":\"" + phone.refreshToken() + "\"}";
        assertThat(post("/api/v1/auth/logout", body, null).statusCode()).isEqualTo(401);
        TestAccounts.Session stranger = TestAccounts.register(server(), UserType.PARENT);
        assertThat(post("/api/v1/auth/logout", body, stranger.accessToken()).statusCode()).isEqualTo(204);
        HttpResponse<String> stillLive = refresh(phone.refreshToken());
        assertThat(stillLive.statusCode()).as("a stranger cannot log others out").isEqualTo(200);
        TestAccounts.Session phone2 = TestAccounts.session(stillLive.body(), phone.password());

        HttpResponse<String> out = post("/api/v1/auth/logout", "{\"refreshToken\":\"" + phone2.refreshToken() + "\"}",
                phone2.accessToken());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(refresh(phone2.refreshToken()).statusCode()).isEqualTo(401);
        assertThat(refresh(laptop.refreshToken()).statusCode()).as("the other session stays").isEqualTo(200);
        // Logout ended phone2's session, and its access token with it (issue 19).
        assertThat(post("/api/v1/auth/logout", "{\"refreshToken\":\"unknown\"}", phone2.accessToken()).statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/auth/logout", "{\"refreshToken\":\"unknown\"}", laptop.accessToken()).statusCode())
                .as("an unknown refresh token: the same answer").isEqualTo(204);
    }

    @Test
    void patchMeChangesTheProfileAndRefusesWhatCannotChange() {
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        String newName = "Renamed-" + parent.username().substring(parent.username().length() - 8);
        HttpResponse<String> r = patch("/api/v1/users/me", "{\"username\":\"" + newName + "\",\"childrenCount\":4}",
                parent.accessToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("username").asString()).isEqualTo(newName);
        assertThat(json(r).get("childrenCount").asInt()).isEqualTo(4);
        assertThat(json(r).get("email").asString()).isEqualTo(parent.email());
        assertThat(json(get("/api/v1/users/" + parent.userId(), parent.accessToken())).get("username").asString()).isEqualTo(newName);

        HttpResponse<String> bad = patch("/api/v1/users/me",
                "{\"email\":\"new@example.org\",\"userType\":\"therapist\",\"specialization\":\"Art\",\"childrenCount\":21}",
                parent.accessToken());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("email", "userType", "specialization", "childrenCount");

        TestAccounts.Session other = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> taken = patch("/api/v1/users/me", "{\"username\":\"" + newName.toLowerCase() + "\"}",
                other.accessToken());
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("\"code\":\"username_taken\"");
    }

    @Test
    void aPasswordChangeNeedsTheCurrentPasswordAndLogsOutEveryOtherSession() {
        TestAccounts.Session here = TestAccounts.register(server(), UserType.THERAPIST);
        TestAccounts.Session elsewhere = TestAccounts.login(server(), here);
        String newPassword = "Fresh-Quartz-Meadow-77";

        HttpResponse<String> missing = patch("/api/v1/users/me", "{\"password\":\"" + newPassword + "\"}", here.accessToken());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("currentPassword");
        HttpResponse<String> wrong = patch("/api/v1/users/me", "{\"password\":\"" + newPassword
                + "\",\"currentPassword\":\"Wrong-Password-0000\"}", here.accessToken());
        assertThat(wrong.statusCode()).isEqualTo(400);
        HttpResponse<String> common = patch("/api/v1/users/me", "{\"password\":\"password1234\",\"currentPassword\":\""
                + here.password() + "\"}", here.accessToken());
        assertThat(common.statusCode()).isEqualTo(400);
        assertThat(common.body()).contains("too common");

        HttpResponse<String> ok = patch("/api/v1/users/me", "{\"password\":\"" + newPassword + "\",\"currentPassword\":\""
                + here.password() + "\"}", here.accessToken());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(refresh(elsewhere.refreshToken()).statusCode()).as("the other session is logged out").isEqualTo(401);
        assertThat(refresh(here.refreshToken()).statusCode()).as("this session stays").isEqualTo(200);
        assertThat(post("/api/v1/auth/login", "{\"email\":\"" + here.email() + "\",\"password\":\"" + here.password() + "\"}",
                null).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/auth/login", "{\"email\":\"" + here.email() + "\",\"password\":\"" + newPassword + "\"}",
                null).statusCode()).isEqualTo(200);
    }

    @Test
    void theDirectoryListsTheOtherTypeByUsernameOrSpecializationPrefixInPagesWithTamperProofCursors() {
        String tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        TestAccounts.Session parent = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String spec = "Qx" + tag + " speech";
        List<String> names = new ArrayList<>();
        for (String name : List.of("d-" + tag, "B-" + tag, "a-" + tag, "c-" + tag)) {
            assertThat(post("/api/v1/auth/register", registration(name, name + "@example.org", TestAccounts.PASSWORD, "therapist",
                    "\"specialization\":\"" + spec + "\""), null).statusCode()).isEqualTo(201);
            names.add(name);
        }
        String byName = "qx" + tag; // a username starting with the specialization's prefix
        assertThat(post("/api/v1/auth/register", registration(byName, byName + "@example.org", TestAccounts.PASSWORD,
                "therapist", "\"specialization\":\"Art\""), null).statusCode()).isEqualTo(201);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = get("/api/v1/users?type=therapist&q=QX" + tag + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), parent.accessToken());
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode body = json(page);
            body.get("items").valueStream().forEach(u -> {
                seen.add(u.get("username").asString());
                assertThat(u.has("email")).isFalse();
            });
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly("a-" + tag, "B-" + tag, "c-" + tag, "d-" + tag, byName);
        assertThat(pages).isEqualTo(3);

        HttpResponse<String> prefix = get("/api/v1/users?type=therapist&q=b-" + tag, parent.accessToken());
        assertThat(json(prefix).get("items").valueStream().map(u -> u.get("username").asString())).containsExactly("B-" + tag);

        HttpResponse<String> first = get("/api/v1/users?type=therapist&q=qx" + tag + "&limit=1", parent.accessToken());
        String next = json(first).get("nextCursor").asString();
        String tampered = (next.charAt(0) == 'A' ? 'B' : 'A') + next.substring(1);
        assertThat(get("/api/v1/users?type=therapist&q=qx" + tag + "&limit=1&cursor=" + tampered, parent.accessToken())
                .body()).contains("\"code\":\"bad_cursor\"");
        TestAccounts.Session otherParent = TestAccounts.register(server(), UserType.PARENT);
        HttpResponse<String> foreign = get("/api/v1/users?type=therapist&q=qx" + tag + "&limit=1&cursor=" + next,
                otherParent.accessToken());
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.body()).contains("\"code\":\"bad_cursor\"");

        HttpResponse<String> parents = get("/api/v1/users?type=parent&q=" + parent.username(), therapist.accessToken());
        assertThat(json(parents).get("items").valueStream().map(u -> u.get("userId").asString())).containsExactly(parent.userId());

        HttpResponse<String> own = get("/api/v1/users?type=parent", parent.accessToken());
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("\"code\":\"forbidden\"");
        assertThat(get("/api/v1/users?type=admins", parent.accessToken()).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/users?type=therapist&limit=0", parent.accessToken()).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/users?type=therapist&limit=abc", parent.accessToken()).statusCode()).isEqualTo(400);
    }

    @Test
    void fiveFailedLoginsLockTheAccountWith429AndRetryAfterWhileOthersStillLogIn() {
        TestAccounts.Session victim = TestAccounts.register(server(), UserType.PARENT);
        TestAccounts.Session bystander = TestAccounts.register(server(), UserType.PARENT);
        String wrong = "{\"email\":\"" + victim.email() + "\",\"password\":\"Guess-Number-000\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(post("/api/v1/auth/login", wrong, null).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = post("/api/v1/auth/login", "{\"email\":\"" + victim.email().toUpperCase()
                + "\",\"password\":\"" + victim.password() + "\"}", null);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("\"code\":\"rate_limited\"");
        assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isBetween(1L, 15L * 60));
        TestAccounts.login(server(), bystander);
    }

    @Test
    void twentyParallelSignUpsWithOneEmailGiveOne201AndNineteen409() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        List<Integer> sameEmail = race(i -> registration("mail" + i + "-" + tag, "same-" + tag + "@example.org",
                TestAccounts.PASSWORD, "parent", null));
        assertThat(sameEmail.stream().filter(c -> c == 201).count()).isEqualTo(1);
        assertThat(sameEmail.stream().filter(c -> c == 409).count()).isEqualTo(19);
        List<Integer> sameName = race(i -> registration(i % 2 == 0 ? "Same-" + tag : "same-" + tag,
                "name" + i + "-" + tag + "@example.org", TestAccounts.PASSWORD, "parent", null));
        assertThat(sameName.stream().filter(c -> c == 201).count()).isEqualTo(1);
        assertThat(sameName.stream().filter(c -> c == 409).count()).isEqualTo(19);
    }

    private List<Integer> race(java.util.function.IntFunction<String> body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                String json = body.apply(i);
                results.add(pool.submit(() -> {
                    go.await();
                    return post("/api/v1/auth/register", json, null).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : results) {
                codes.add(f.get());
            }
            return codes;
        }
    }

    /** A password hash made by the prototype's bcrypt (pyca/bcrypt 5.0.0, cost 12) for {@link #PROTOTYPE_PASSWORD}. */
    static final String PROTOTYPE_HASH = "$2b$12$DQNzW/remsd.UNbFFmARWOPoTQGZTXWkesl31cgYqBz5WVLLRYtmS";
    static final String PROTOTYPE_PASSWORD = "Prototype-Pass-2024";

    @Test
    void aPrototypeBcryptHashStillLogsInAndIsUpgradedToArgon2id() {
        String tag = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        UserStore users = server().context().getBean(UserStore.class);
        User migrated = new User(Ids.random(), "proto-" + tag, "proto-" + tag + "@example.org", PROTOTYPE_HASH,
                UserType.PARENT, null, 1, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        users.create(migrated);

        HttpResponse<String> wrong = post("/api/v1/auth/login", "{\"email\":\"" + migrated.email()
                + "\",\"password\":\"Prototype-Pass-2025\"}", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> ok = post("/api/v1/auth/login", "{\"email\":\"" + migrated.email()
                + "\",\"password\":\"" + PROTOTYPE_PASSWORD + "\"}", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(users.findById(migrated.userId()).orElseThrow().passwordHash()).startsWith("{argon2}$argon2id$");
        assertThat(post("/api/v1/auth/login", "{\"email\":\"" + migrated.email()
                + "\",\"password\":\"" + PROTOTYPE_PASSWORD + "\"}", null).statusCode()).isEqualTo(200);
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
