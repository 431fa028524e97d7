package chatapp.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.notification.Reminder;
import chatapp.notification.UnreadReminders;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.realtime.RealtimeClients;
import chatapp.server.realtime.WsClient;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Email over real HTTP with a real SMTP server (GreenMail): sign-up needs verification and the
 * link works once; sign-up with a verified address answers the same and tells the owner; password
 * reset answers the same for an unknown address, works once, ends every session and lets an
 * account needing a reset in; the unread-message email names the sender, never the text, and
 * carries RFC 8058's headers, whose one-click unsubscribe works. Run on each store by subclasses.
 */
abstract class EmailEndpointsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PASSWORD = "Tidy-Lantern-Orbit-42";
    static final Pattern VERIFY = Pattern.compile("#verify-email=([A-Za-z0-9_-]+)");
    static final Pattern RESET = Pattern.compile("#reset-password=([A-Za-z0-9_-]+)");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /**
     * Each test calls from its own loopback address (Linux routes all of 127/8 to lo), so the
     * limits per client IP (20 link confirmations per 10 minutes) count one test's calls only.
     */
    private final HttpClient http = HttpClient.newBuilder().localAddress(clientAddress()).build();

    private static java.net.InetAddress clientAddress() {
        int n = CLIENTS.incrementAndGet();
        try {
            return java.net.InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + n / 200), (byte) (10 + n % 200)});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GreenMail SMTP server on a free port, started before the server that sends to it. */
    static GreenMail startMail() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return mail;
    }

    /** The server's email settings for {@code mail}. */
    static String[] emailArgs(GreenMail mail) {
        return new String[] {"--chatapp.email.smtp-host=127.0.0.1",
                "--chatapp.email.smtp-port=" + mail.getSmtp().getPort(), "--chatapp.email.starttls=false",
                "--chatapp.email.from=ChatApp <no-reply@chat.example.org>",
                "--chatapp.email.app-url=https://chat.example.org", "--chatapp.email.reminder-poll=1h"};
    }

    abstract RunningServer server();

    abstract GreenMail mail();

    /** The reminder pending for (user, conversation), as its store keeps it. */
    abstract java.util.Optional<Reminder> pending(String userId, String conversationId);

    @BeforeEach
    void emptyMailbox() throws Exception {
        mail().purgeEmailFromAllMailboxes();
    }

    HttpResponse<String> post(String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String token, String conversationId, String text) throws Exception {
        return post("/api/v1/conversations/" + conversationId + "/messages", "{\"clientMessageId\":\"m" + COUNTER.incrementAndGet()
                + "\",\"content\":{\"contentType\":\"text\",\"value\":\"" + text + "\"}}", token);
    }

    static String fresh(String kind) {
        return kind + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    HttpResponse<String> signUp(String username, String email, String type) throws Exception {
        String extra = type.equals("parent") ? "\"childrenCount\":1" : "\"specialization\":\"Speech therapy\"";
        return post("/api/v1/auth/register", "{\"username\":\"" + username + "\",\"email\":\"" + email
                + "\",\"password\":\"" + PASSWORD + "\",\"userType\":\"" + type + "\"," + extra + "}", null);
    }

    JsonNode login(String email, String password) throws Exception {
        HttpResponse<String> r = post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The next email to {@code to}, waiting up to 10 s for it. */
    MimeMessage next(String to) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            for (MimeMessage m : mail().getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equals(to) && !m.isSet(jakarta.mail.Flags.Flag.SEEN)) {
                    m.setFlag(jakarta.mail.Flags.Flag.SEEN, true);
                    return m;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no email to " + to + " within 10 s");
    }

    static String token(MimeMessage m, Pattern p) {
        Matcher matcher = p.matcher(GreenMailUtil.getBody(m));
        assertThat(matcher.find()).as("a link in the email").isTrue();
        return matcher.group(1);
    }

    /** A verified parent or therapist; returns {email, access token, userId}. */
    String[] verifiedAccount(String type) throws Exception {
        String username = fresh(type);
        String email = username + "@example.org";
        assertThat(signUp(username, email, type).statusCode()).isEqualTo(202);
        String token = token(next(email), VERIFY);
        assertThat(post("/api/v1/auth/verify-email", "{\"token\":\"" + token + "\"}", null).statusCode()).isEqualTo(204);
        JsonNode in = login(email, PASSWORD);
        return new String[] {email, in.get("accessToken").asString(), in.get("user").get("userId").asString()};
    }

    @Test
    void signUpNeedsVerificationAndTheLinkWorksOnce() throws Exception {
        String username = fresh("parent");
        String email = username + "@example.org";
        HttpResponse<String> r = signUp(username, email, "parent");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("status").asString()).isEqualTo("verification_required");
        assertThat(r.body()).doesNotContain("accessToken");

        MimeMessage m = next(email);
        assertThat(m.getSubject()).contains("Confirm your email");
        String token = token(m, VERIFY);
        String access = login(email, PASSWORD).get("accessToken").asString();
        assertThat(get("/api/v1/users/me/email-verification", access).body()).contains("\"emailVerified\":false");

        assertThat(post("/api/v1/auth/verify-email", "{\"token\":\"" + token + "\"}", null).statusCode()).isEqualTo(204);
        HttpResponse<String> again = post("/api/v1/auth/verify-email", "{\"token\":\"" + token + "\"}", null);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("token").contains("used already");
        assertThat(get("/api/v1/users/me/email-verification", access).body()).contains("\"emailVerified\":true");
    }

    @Test
    void signUpWithAVerifiedAddressAnswersTheSameAndTellsTheOwner() throws Exception {
        String[] owner = verifiedAccount("therapist");
        HttpResponse<String> r = signUp(fresh("parent"), owner[0].toUpperCase(), "parent");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("status").asString()).isEqualTo("verification_required");
        assertThat(JSON.readTree(r.body()).get("email").asString()).isEqualTo(owner[0]);
        assertThat(next(owner[0]).getSubject()).contains("Someone tried to sign up");

        // an unverified address keeps its 409 (docs/api.md, "Email")
        String username = fresh("parent");
        signUp(username, username + "@example.org", "parent");
        assertThat(signUp(fresh("parent"), username + "@example.org", "parent").statusCode()).isEqualTo(409);
    }

    @Test
    void signUpAttemptEmailsAreLimitedPerAddressWithTheSameAnswer() throws Exception {
        String[] owner = verifiedAccount("therapist");
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = signUp(fresh("parent"), owner[0], "parent");
            assertThat(r.statusCode()).as("attempt " + i).isEqualTo(202);
            assertThat(JSON.readTree(r.body()).get("status").asString()).isEqualTo("verification_required");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(next(owner[0]).getSubject()).contains("Someone tried to sign up");
        }
        Thread.sleep(1500); // the mail thread had time for more
        long attempts = java.util.Arrays.stream(mail().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(owner[0]) && m.getSubject().contains("Someone tried");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertThat(attempts).as("3 an hour per address").isEqualTo(3);
    }

    @Test
    void passwordResetAnswersTheSameForAnUnknownAddressWorksOnceAndEndsEverySession() throws Exception {
        String[] account = verifiedAccount("parent");
        JsonNode second = login(account[0], PASSWORD);
        String refresh = second.get("refreshToken").asString();
        WsClient socket = RealtimeClients.connect(server(), new TestAccounts.Session(account[2],
                second.get("user").get("username").asString(), account[0], PASSWORD,
                second.get("accessToken").asString(), refresh));

        HttpResponse<String> unknown = post("/api/v1/auth/password-reset", "{\"email\":\"nobody-" + RUN
                + "@example.org\"}", null);
        HttpResponse<String> known = post("/api/v1/auth/password-reset", "{\"email\":\"" + account[0] + "\"}", null);
        assertThat(unknown.statusCode()).isEqualTo(202);
        assertThat(known.statusCode()).isEqualTo(202);
        assertThat(known.body()).isEqualTo(unknown.body());

        MimeMessage m = next(account[0]);
        String token = token(m, RESET);
        assertThat(GreenMailUtil.getBody(m)).doesNotContain(PASSWORD);

        HttpResponse<String> weak = post("/api/v1/auth/password-reset/confirm",
                "{\"token\":\"" + token + "\",\"newPassword\":\"short\"}", null);
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("newPassword");

        String newPassword = "Quiet-Harbour-Maple-77";
        assertThat(post("/api/v1/auth/password-reset/confirm", "{\"token\":\"" + token + "\",\"newPassword\":\""
                + newPassword + "\"}", null).statusCode()).isEqualTo(204);
        HttpResponse<String> reuse = post("/api/v1/auth/password-reset/confirm", "{\"token\":\"" + token
                + "\",\"newPassword\":\"Other-Harbour-Maple-78\"}", null);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(reuse.body()).contains("used already");

        // every session ended: the open WebSocket closes, the refresh token is dead, and so is the access token
        assertThat(socket.closed(Duration.ofSeconds(2)).code()).isEqualTo(4401);
        socket.close();
        assertThat(post("/api/v1/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}", null).statusCode())
                .isEqualTo(401);
        assertThat(get("/api/v1/users/me", account[1]).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/auth/login", "{\"email\":\"" + account[0] + "\",\"password\":\"" + PASSWORD
                + "\"}", null).statusCode()).isEqualTo(401);
        login(account[0], newPassword);
    }

    @Test
    void aResetTokenIsNotAVerificationTokenAndGarbageIsRefused() throws Exception {
        String[] account = verifiedAccount("parent");
        post("/api/v1/auth/password-reset", "{\"email\":\"" + account[0] + "\"}", null);
        String token = token(next(account[0]), RESET);
        assertThat(post("/api/v1/auth/verify-email", "{\"token\":\"" + token + "\"}", null).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/auth/password-reset/confirm", "{\"token\":\"nonsense\",\"newPassword\":\"Quiet-Harbour-Maple-77\"}",
                null).statusCode()).isEqualTo(400);
        // the reset token still works: the verification attempt did not spend it
        assertThat(post("/api/v1/auth/password-reset/confirm", "{\"token\":\"" + token
                + "\",\"newPassword\":\"Quiet-Harbour-Maple-77\"}", null).statusCode()).isEqualTo(204);
    }

    HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server().uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> confirmReset(String token, String newPassword) throws Exception {
        return post("/api/v1/auth/password-reset/confirm", "{\"token\":\"" + token + "\",\"newPassword\":\""
                + newPassword + "\"}", null);
    }

    static void refusesToken(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                .containsExactly("token");
    }

    @Test
    void aResetOrAPasswordChangeVoidsEveryOutstandingResetLink() throws Exception {
        String[] account = verifiedAccount("parent");
        String[] links = new String[3];
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/auth/password-reset", "{\"email\":\"" + account[0] + "\"}", null).statusCode())
                    .isEqualTo(202);
            links[i] = token(next(account[0]), RESET);
        }
        String first = "Quiet-Harbour-Maple-77";
        assertThat(confirmReset(links[0], first).statusCode()).isEqualTo(204);
        refusesToken(confirmReset(links[1], "Other-Harbour-Maple-78"));
        login(account[0], first);

        // a password change (PATCH /users/me) voids the third link too
        String access = login(account[0], first).get("accessToken").asString();
        HttpResponse<String> change = send("PATCH", "/api/v1/users/me", "{\"password\":\"Third-Harbour-Maple-79\","
                + "\"currentPassword\":\"" + first + "\"}", access);
        assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        refusesToken(confirmReset(links[2], "Fourth-Harbour-Maple-80"));
        login(account[0], "Third-Harbour-Maple-79");
    }

    @Test
    void aLinkOfADeletedAccountIsRefusedLikeAnUnknownOne() throws Exception {
        String username = fresh("parent");
        String email = username + "@example.org";
        assertThat(signUp(username, email, "parent").statusCode()).isEqualTo(202);
        String verify = token(next(email), VERIFY);
        String access = login(email, PASSWORD).get("accessToken").asString();
        post("/api/v1/auth/password-reset", "{\"email\":\"" + email + "\"}", null);
        String reset = token(next(email), RESET);
        HttpResponse<String> deleted = send("DELETE", "/api/v1/users/me", "{\"password\":\"" + PASSWORD + "\"}", access);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        HttpResponse<String> v = post("/api/v1/auth/verify-email", "{\"token\":\"" + verify + "\"}", null);
        refusesToken(v);
        HttpResponse<String> r = confirmReset(reset, "Quiet-Harbour-Maple-77");
        refusesToken(r);
        HttpResponse<String> unknown = confirmReset("an-unknown-token", "Quiet-Harbour-Maple-77");
        assertThat(JSON.readTree(r.body()).get("errors")).isEqualTo(JSON.readTree(unknown.body()).get("errors"));
    }

    @Test
    void theUnsubscribePageRunsNothingAndSaysItsCharset() throws Exception {
        HttpResponse<String> page = get("/api/v1/unsubscribe?token=abc.def", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow().toLowerCase())
                .isEqualTo("text/html;charset=utf-8");
        assertThat(page.headers().allValues("Content-Security-Policy")).singleElement().asString()
                .contains("default-src 'none'", "form-action 'self'", "frame-ancestors 'none'");
        assertThat(page.body()).contains("action=\"/api/v1/unsubscribe?token=abc.def\"");
    }

    @Test
    void passwordResetRequestsAreRateLimitedPerAddress() throws Exception {
        String email = "limited-" + RUN + "@example.org";
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/v1/auth/password-reset", "{\"email\":\"" + email + "\"}", null).statusCode())
                    .isEqualTo(202);
        }
        HttpResponse<String> r = post("/api/v1/auth/password-reset", "{\"email\":\"" + email + "\"}", null);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        String detail = JSON.readTree(r.body()).get("detail").asString();
        assertThat(detail).as("said once").containsOnlyOnce("try again later");
    }

    @Test
    void anUnreadMessageIsEmailedAfterTheDelayWithoutItsTextAndOneClickUnsubscribes() throws Exception {
        String[] therapist = verifiedAccount("therapist");
        String[] parent = verifiedAccount("parent");
        HttpResponse<String> opened = post("/api/v1/conversations", "{\"peerId\":\"" + therapist[2] + "\"}", parent[1]);
        assertThat(opened.statusCode()).as(opened.body()).isIn(200, 201);
        String conversationId = JSON.readTree(opened.body()).get("conversationId").asString();
        HttpResponse<String> sent = send(parent[1], conversationId, "the secret words of the first message");
        assertThat(sent.statusCode()).as(sent.body()).isIn(200, 201);

        UnreadReminders reminders = server().context().getBean(UnreadReminders.class);
        assertThat(reminders.awaitIdle(Duration.ofSeconds(10))).as("queued off the send's thread").isTrue();
        Reminder pending = pending(therapist[2], conversationId).orElseThrow();
        assertThat(pending.dueAt()).isBetween(Instant.now().plus(Duration.ofMinutes(14)),
                Instant.now().plus(Duration.ofMinutes(15)));
        List<Reminder> due = List.of(pending);
        // run as the poller does, twice: one email
        assertThat(reminders.run(due.getFirst())).isEqualTo(UnreadReminders.Outcome.SENT);
        assertThat(reminders.run(due.getFirst())).isEqualTo(UnreadReminders.Outcome.ALREADY_RUN);

        MimeMessage m = next(therapist[0]);
        String username = parent[0].substring(0, parent[0].indexOf('@'));
        assertThat(m.getSubject()).isEqualTo("You have a new message from " + username + " on ChatApp");
        String raw = GreenMailUtil.getWholeMessage(m);
        assertThat(raw).doesNotContain("secret words");
        assertThat(m.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
        String unsubscribe = m.getHeader("List-Unsubscribe")[0];
        assertThat(unsubscribe).startsWith("<https://chat.example.org/api/v1/unsubscribe?token=");
        URI link = URI.create(unsubscribe.substring(1, unsubscribe.length() - 1));

        HttpResponse<String> off = http.send(HttpRequest.newBuilder(server().uri(link.getPath() + "?" + link.getQuery()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(post("/api/v1/unsubscribe?token=forged." + RUN, "", null).statusCode()).isEqualTo(400);

        // email is off now: a new message queues nothing for the therapist
        send(parent[1], conversationId, "more");
        assertThat(reminders.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pending(therapist[2], conversationId)).isEmpty();
    }

    @Test
    void manyMessagesOfOneConversationLeadToOneReminderAndOneEmail() throws Exception {
        String[] therapist = verifiedAccount("therapist");
        String[] parent = verifiedAccount("parent");
        String conversationId = JSON.readTree(post("/api/v1/conversations", "{\"peerId\":\"" + therapist[2] + "\"}",
                parent[1]).body()).get("conversationId").asString();
        assertThat(post("/api/v1/conversations/" + conversationId + "/accept", "{}", therapist[1]).statusCode())
                .isEqualTo(200);
        UnreadReminders reminders = server().context().getBean(UnreadReminders.class);
        assertThat(send(parent[1], conversationId, "first").statusCode()).isEqualTo(201);
        assertThat(reminders.awaitIdle(Duration.ofSeconds(10))).isTrue();
        Reminder first = pending(therapist[2], conversationId).orElseThrow();
        for (int i = 0; i < 9; i++) {
            assertThat(send(parent[1], conversationId, "more " + i).statusCode()).isEqualTo(201);
        }
        assertThat(reminders.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pending(therapist[2], conversationId)).as("the first reminder stands").contains(first);

        assertThat(reminders.run(first)).isEqualTo(UnreadReminders.Outcome.SENT);
        assertThat(next(therapist[0]).getSubject()).startsWith("You have a new message from");
        Thread.sleep(500); // a second email would be on its way by now
        assertThat(java.util.Arrays.stream(mail().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(therapist[0])
                        && m.getSubject().startsWith("You have a new message");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        })).as("one email for ten messages").hasSize(1);
    }
}
