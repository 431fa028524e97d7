package chatapp.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RawHttp;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limits per account of issue 19 over real HTTP and WebSockets, with the server's limits
 * lowered by configuration ({@link #LOWERED}): messages (REST and the built-in gateway share one
 * bucket, a replay is not charged), tickets, uploads and their bytes; and sign-in failures
 * counted per account and address, so that an attacker elsewhere never locks the owner out.
 * Abstract: run on each store by {@link SqliteAccountLimitsTest} and {@link DynamoAccountLimitsTest}.
 */
abstract class AccountLimitsTest {

    /** 3 messages at once, then one a minute; 2 tickets a minute; 2 uploads an hour, 3000 bytes a day. */
    static final String[] LOWERED = {"--chatapp.limits.messages-per-minute=1", "--chatapp.limits.message-burst=3",
        "--chatapp.limits.tickets-per-minute=2", "--chatapp.limits.uploads-per-hour=2",
        "--chatapp.limits.upload-bytes-per-day=3000B"};

    private static final JsonMapper JSON = JsonMapper.builder().build();

    abstract RunningServer server();

    private String conversation(Session a, Session b) {
        HttpResponse<String> r = server().post("/api/v1/conversations", "{\"peerId\":\"" + b.userId() + "\"}",
                a.accessToken());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        String c = JSON.readTree(r.body()).get("conversationId").asString();
        // accepted, so that more than the one introduction may be sent (contact by consent)
        server().post("/api/v1/conversations/" + c + "/accept", "{}", b.accessToken());
        return c;
    }

    private HttpResponse<String> send(Session caller, String conversationId, String clientMessageId) {
        return server().post("/api/v1/conversations/" + conversationId + "/messages",
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"content\":{\"contentType\":\"text\",\"value\":\"hi\"}}",
                caller.accessToken());
    }

    static void assertRateLimited(HttpResponse<String> r, String detailPart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("code").asString()).isEqualTo("rate_limited");
        assertThat(problem.get("detail").asString()).contains(detailPart);
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(
                v -> assertThat(Long.parseLong(v)).isPositive());
    }

    @Test
    void messagesAreLimitedPerAccountAcrossRestAndSocketsAndAReplayIsNotCharged() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session therapist = TestAccounts.register(server(), UserType.THERAPIST);
        String conversation = conversation(parent, therapist);

        assertThat(send(parent, conversation, "m-1").statusCode()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            assertThat(send(parent, conversation, "m-1").statusCode()).as("a replay").isIn(200, 201);
        }
        assertThat(send(parent, conversation, "m-2").statusCode()).isEqualTo(201);
        try (WsClient socket = RealtimeClients.connect(server(), parent)) {
            socket.sendJson("type", "send", "clientMessageId", "m-3", "conversationId", conversation,
                    "content", java.util.Map.of("contentType", "text", "value", "hi"));
            assertThat(socket.next("ack").path("clientMessageId").asString()).isEqualTo("m-3");

            assertRateLimited(send(parent, conversation, "m-4"), "too many messages");
            socket.sendJson("type", "send", "clientMessageId", "m-5", "conversationId", conversation,
                    "content", java.util.Map.of("contentType", "text", "value", "hi"));
            JsonNode error = socket.next("error");
            assertThat(error.path("code").asString()).isEqualTo("rate_limited");
            assertThat(error.path("clientMessageId").asString()).isEqualTo("m-5");
            assertThat(error.path("detail").asString()).contains("too many messages");
            assertThat(error.path("retryAfterMs").asLong()).as("the retry time, as REST's Retry-After (issue 19)")
                    .isPositive().isLessThanOrEqualTo(60_000);
        }
        // the peer is not limited by the sender's flood
        assertThat(send(therapist, conversation, "t-1").statusCode()).isEqualTo(201);
    }

    @Test
    void ticketsAreLimitedPerAccount() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        Session other = TestAccounts.register(server(), UserType.PARENT);
        for (int i = 0; i < 2; i++) {
            assertThat(server().post("/api/v1/realtime/tickets", "", parent.accessToken()).statusCode()).isEqualTo(201);
        }
        assertRateLimited(server().post("/api/v1/realtime/tickets", "", parent.accessToken()), "too many WebSocket tickets");
        // a new login is the same account: still limited
        Session again = TestAccounts.login(server(), parent);
        assertRateLimited(server().post("/api/v1/realtime/tickets", "", again.accessToken()), "tickets");
        assertThat(server().post("/api/v1/realtime/tickets", "", other.accessToken()).statusCode()).isEqualTo(201);
    }

    @Test
    void uploadsAreLimitedPerHour() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        byte[] png = png(2, new Random(1));
        assertThat(raw(parent, png, true).statusCode()).isEqualTo(201);
        assertThat(raw(parent, png, true).statusCode()).isEqualTo(201);
        assertRateLimited(raw(parent, png, true), "too many uploads");
    }

    @Test
    void uploadBytesAreLimitedPerDayByTheDeclaredLengthAndByWhatArrived() {
        Session parent = TestAccounts.register(server(), UserType.PARENT);
        // over the 3000 bytes left, said before the body: refused before a byte is read, not counted
        RawHttp.Response declared = RawHttp.exchange(server().uri("/"), "POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + parent.accessToken() + "\r\nContent-Type: image/png\r\n"
                + "Content-Length: 5000\r\nConnection: close", null);
        JsonNode problem = declared.problem(429, "rate_limited");
        assertThat(problem.get("detail").asString()).contains("too many bytes");
        assertThat(declared.header("Retry-After")).isNotBlank();

        byte[] photo = photoBetween(1600, 3000);
        assertThat(raw(parent, photo, false).statusCode()).as("no Content-Length: charged by what arrived").isEqualTo(201);
        assertRateLimited(raw(parent, photo, false), "too many bytes");
    }

    @Test
    void anAttackerElsewhereNeverLocksTheOwnerOut() throws Exception {
        Session owner = TestAccounts.register(server(), UserType.THERAPIST);
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        InetAddress ownerAddress = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 10; i++) {
            RawHttp.Response r = login(owner.email(), "Wrong-Guess-" + i + "-xyz", attacker);
            assertThat(r.status()).as("guess " + i).isEqualTo(i < 5 ? 401 : 429);
        }
        RawHttp.Response ownerLogin = login(owner.email(), owner.password(), ownerAddress);
        assertThat(ownerLogin.status()).as(ownerLogin.body()).isEqualTo(200);

        RawHttp.Response stillGuessing = login(owner.email(), owner.password(), attacker);
        stillGuessing.problem(429, "rate_limited");
        assertThat(stillGuessing.header("Retry-After")).isNotBlank();
    }

    /** Wrong passwords sent all at once get no more tries than sent one after another. */
    @Test
    void guessesSentAtOnceGetNoMoreTriesThanOneAtATime() throws Exception {
        Session owner = TestAccounts.register(server(), UserType.PARENT);
        InetAddress attacker = InetAddress.getByName("127.0.0.3");
        int guesses = 20;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < guesses; i++) {
                String guess = "Wrong-Guess-" + i + "-at-once";
                answers.add(threads.submit(() -> {
                    go.await();
                    return login(owner.email(), guess, attacker).status();
                }));
            }
            go.countDown();
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var a : answers) {
            statuses.add(a.get());
        }
        assertThat(statuses).as("every guess is answered 401 or 429").allMatch(s -> s == 401 || s == 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).as("guesses checked").isEqualTo(5);
    }

    private RawHttp.Response login(String email, String password, InetAddress from) {
        byte[] body = ("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        return RawHttp.exchange(server().uri("/"), "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close", body, from);
    }

    /** A raw upload, with its Content-Length or streamed without one (chunked). */
    private HttpResponse<String> raw(Session who, byte[] bytes, boolean withLength) {
        HttpRequest.BodyPublisher body = withLength ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
        return server().send(HttpRequest.newBuilder(server().uri("/api/v1/media"))
                .header("Authorization", "Bearer " + who.accessToken())
                .header("Content-Type", "image/png")
                .POST(body)
                .build());
    }

    /** A PNG of noise between {@code min} and {@code max} bytes. */
    private static byte[] photoBetween(int min, int max) {
        Random random = new Random(7);
        for (int side = 8; side < 64; side++) {
            byte[] png = png(side, random);
            if (png.length >= min && png.length <= max) {
                return png;
            }
        }
        throw new AssertionError("no PNG between " + min + " and " + max + " bytes");
    }

    private static byte[] png(int side, Random random) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < side; x++) {
            for (int y = 0; y < side; y++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
