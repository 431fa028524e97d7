package chatapp.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * ChatApp's REST API as the load tool uses it (API.md): accounts, conversations, tickets and
 * message history. Calls that need a token take an {@link Account} and refresh its access token
 * once when the server answers 401.
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    Api(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() {
        return base;
    }

    /** A refusal or failure of a call: status 0 when the server could not be reached. */
    static final class ApiException extends RuntimeException {
        final int status;
        final String code;

        ApiException(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    // ------------------------------------------------------------------ accounts

    /** POST /auth/register; 201 expected. */
    Account register(String username, String email, String password, boolean parent) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("email", email)
                .put("password", password).put("userType", parent ? "parent" : "therapist");
        if (parent) {
            body.put("childrenCount", 1);
        } else {
            body.put("specialization", "Speech therapy");
        }
        JsonNode r = call("POST", "/api/v1/auth/register", body.toString(), null, 201);
        Account a = new Account(r.path("user").path("userId").asString(), email, password);
        a.tokens(r.path("accessToken").asString(), r.path("refreshToken").asString());
        return a;
    }

    /** Gives the account fresh tokens: refresh if it has a refresh token, else (or if refused) log in. */
    void signIn(Account account) {
        String refresh = account.refreshToken();
        if (refresh != null) {
            try {
                JsonNode r = call("POST", "/api/v1/auth/refresh", JSON.createObjectNode().put("refreshToken", refresh).toString(),
                        null, 200);
                account.tokens(r.path("accessToken").asString(), r.path("refreshToken").asString());
                return;
            } catch (ApiException e) {
                if (e.status < 400 || e.status >= 500) {
                    throw e; // unreachable or broken; any refusal of the token: log in instead
                }
            }
        }
        JsonNode r = call("POST", "/api/v1/auth/login", JSON.createObjectNode().put("email", account.email)
                .put("password", account.password).toString(), null, 200);
        account.tokens(r.path("accessToken").asString(), r.path("refreshToken").asString());
    }

    // ------------------------------------------------------------------ conversations and messages

    /** POST /conversations {peerId}: the conversation's id (201 created or 200 existing). */
    String openConversation(Account account, String peerId) {
        return authorized("POST", "/api/v1/conversations", JSON.createObjectNode().put("peerId", peerId).toString(),
                account, 201, 200).path("conversationId").asString();
    }

    /** POST /conversations/{id}/accept: the recipient of a request accepts it (consent, docs/security.md). */
    void acceptConversation(Account account, String conversationId) {
        authorized("POST", "/api/v1/conversations/" + conversationId + "/accept", "{}", account, 200);
    }

    /** GET /conversations/{id}: 200 if the account may see it. */
    boolean conversationVisible(Account account, String conversationId) {
        try {
            authorized("GET", "/api/v1/conversations/" + conversationId, null, account, 200);
            return true;
        } catch (ApiException e) {
            if (e.status == 404 || e.status == 403) {
                return false;
            }
            throw e;
        }
    }

    /** The newest message id of the conversation, or null if it has none. */
    String newestMessageId(Account account, String conversationId) {
        JsonNode items = authorized("GET", "/api/v1/conversations/" + conversationId + "/messages?limit=1", null, account, 200)
                .path("items");
        return items.isEmpty() ? null : items.get(0).path("messageId").asString();
    }

    /**
     * Every message after {@code afterMessageId}, oldest first, by {@code ?after=} following
     * {@code nextCursor} until it is null (API.md's catch-up). With a null {@code afterMessageId}
     * the whole history, read newest first with {@code ?cursor=} and returned oldest first.
     */
    List<JsonNode> messagesAfter(Account account, String conversationId, String afterMessageId) {
        List<JsonNode> all = new ArrayList<>();
        String path = "/api/v1/conversations/" + conversationId + "/messages?limit=100";
        String first = afterMessageId == null ? path : path + "&after=" + encode(afterMessageId);
        String cursor = null;
        do {
            JsonNode page = authorized("GET", cursor == null ? first : first + "&cursor=" + encode(cursor), null, account, 200);
            page.path("items").forEach(all::add);
            JsonNode next = page.path("nextCursor");
            cursor = next.isString() && !next.asString().isEmpty() ? next.asString() : null;
        } while (cursor != null);
        return afterMessageId == null ? all.reversed() : all;
    }

    /** POST /realtime/tickets: the WebSocket URL with a fresh single-use ticket. */
    URI ticket(Account account) {
        String url = authorized("POST", "/api/v1/realtime/tickets", "", account, 201).path("url").asString();
        URI uri = URI.create(url);
        if (uri.isAbsolute()) {
            return uri;
        }
        URI ws = URI.create(base.toString().replaceFirst("^http", "ws"));
        return ws.resolve(url);
    }

    /** GET a path without a token; the body as JSON, or null if the status is not 200. */
    JsonNode getPublic(String path) {
        try {
            return call("GET", path, null, null, 200);
        } catch (ApiException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private JsonNode authorized(String method, String path, String body, Account account, int... expected) {
        try {
            return call(method, path, body, account.accessToken(), expected);
        } catch (ApiException e) {
            if (e.status != 401) {
                throw e;
            }
            account.refreshAfter401(this);
            return call(method, path, body, account.accessToken(), expected);
        }
    }

    /**
     * One call; a 429 is waited out (its {@code Retry-After}) when that is at most 30 s, else it
     * fails with a hint: the server limits logins and sign-ups per client address, and this tool
     * is one address acting for many users.
     */
    private JsonNode call(String method, String path, String body, String token, int... expected) {
        for (int attempt = 1; ; attempt++) {
            try {
                return callOnce(method, path, body, token, expected);
            } catch (RateLimited e) {
                if (e.retryAfterSeconds > 30 || attempt >= 20) {
                    throw new ApiException(429, "rate_limited", method + " " + path + " was refused with 429 (retry after "
                            + e.retryAfterSeconds + " s): the server limits logins and sign-ups per client address"
                            + " (CHATAPP_LIMITS_LOGINS_PER_IP, CHATAPP_LIMITS_REGISTRATIONS_PER_IP); raise them on the server"
                            + " for a run with this many pairs");
                }
                try {
                    Thread.sleep(Math.max(1, e.retryAfterSeconds) * 1000L);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new ApiException(0, "interrupted", method + " " + path + " interrupted");
                }
            }
        }
    }

    private static final class RateLimited extends RuntimeException {
        final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds) {
            super(null, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private JsonNode callOnce(String method, String path, String body, String token, int... expected) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        // The body as a String, parsed by Jackson's char parser: the WebSocket frames (bytes) use its
        // byte parser, so the REST calls made after the tool's warm-up (sign-ins, tickets) do not
        // change the JIT's profile of the frame path and throw its compiled code away (ServerFrame).
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(0, "unreachable", method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", method + " " + path + " interrupted");
        }
        for (int status : expected) {
            if (r.statusCode() == status) {
                return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            }
        }
        if (r.statusCode() == 429) {
            throw new RateLimited(r.headers().firstValueAsLong("Retry-After").orElse(1));
        }
        String code = "http_" + r.statusCode();
        try {
            JsonNode problem = JSON.readTree(r.body());
            if (problem.path("code").isString()) {
                code = problem.path("code").asString();
            }
        } catch (RuntimeException e) {
            // not a problem document
        }
        String text = r.body();
        throw new ApiException(r.statusCode(), code, method + " " + path + " answered " + r.statusCode() + ": "
                + text.substring(0, Math.min(300, text.length())));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
