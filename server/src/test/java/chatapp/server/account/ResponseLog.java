package chatapp.server.account;

import chatapp.server.RunningServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every account call the suite makes (through {@link TestAccounts} and the account endpoint
 * tests), kept so that {@link #leaks()} can walk every response body for what must never be
 * there (API.md "Resources"): a password that any request sent, a password hash, or an email
 * other than the caller's own.
 */
final class ResponseLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> HASH_MARKERS = List.of("$argon2", "$2a$", "$2b$", "$2y$", "{argon2}", "{bcrypt}",
            "passwordhash", "password_hash");

    private record Exchange(String method, String path, String requestBody, String token, int status, String body) {
    }

    private static final List<Exchange> EXCHANGES = new ArrayList<>();
    private static final Map<String, String> MINTED = new HashMap<>();

    private ResponseLog() {
    }

    /** Sends a request with an optional JSON body and bearer token, and records the exchange. */
    static HttpResponse<String> send(RunningServer server, String method, String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = server.send(b.build());
        synchronized (EXCHANGES) {
            EXCHANGES.add(new Exchange(method, URI.create(path).getPath(), json, token, r.statusCode(), r.body()));
        }
        return r;
    }

    /** Tells the log whose a token is that a test made itself (not from a sign-in answer). */
    static void minted(String token, String ownEmail) {
        synchronized (EXCHANGES) {
            MINTED.put(token, ownEmail);
        }
    }

    /** How many exchanges were recorded. */
    static int size() {
        synchronized (EXCHANGES) {
            return EXCHANGES.size();
        }
    }

    /** One line per response body that shows a password, a hash or a foreign email; empty if none. */
    static List<String> leaks() {
        List<Exchange> all;
        Map<String, String> emailByToken;
        synchronized (EXCHANGES) {
            all = List.copyOf(EXCHANGES);
            emailByToken = new HashMap<>(MINTED);
        }
        Set<String> passwords = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (Exchange e : all) {
            JsonNode request = parse(e.requestBody());
            for (String field : List.of("password", "currentPassword")) {
                if (request != null && request.hasNonNull(field) && request.get(field).asString().length() >= 4) {
                    passwords.add(request.get(field).asString());
                }
            }
            if (request != null && request.hasNonNull("email")) {
                emails.add(request.get("email").asString().strip().toLowerCase(Locale.ROOT));
            }
            JsonNode response = parse(e.body());
            if (response != null && response.has("user") && response.get("user").hasNonNull("email")) {
                String own = response.get("user").get("email").asString();
                emailByToken.put(response.get("accessToken").asString(), own);
                emailByToken.put(response.get("refreshToken").asString(), own);
            }
        }
        List<String> leaks = new ArrayList<>();
        for (Exchange e : all) {
            String body = e.body() == null ? "" : e.body();
            String lower = body.toLowerCase(Locale.ROOT);
            for (String p : passwords) {
                if (body.contains(p)) {
                    leaks.add(e.method() + " " + e.path() + " shows a password");
                }
            }
            for (String marker : HASH_MARKERS) {
                if (lower.contains(marker)) {
                    leaks.add(e.method() + " " + e.path() + " shows a hash (" + marker + ")");
                }
            }
            String own = ownEmail(e, emailByToken);
            for (String email : emails) {
                if (lower.contains(email) && !email.equals(own)) {
                    leaks.add(e.method() + " " + e.path() + " shows another user's email");
                }
            }
        }
        return leaks;
    }

    /** The caller's own email: by their access token, or by the credentials or refresh token they sent. */
    private static String ownEmail(Exchange e, Map<String, String> emailByToken) {
        if (e.token() != null) {
            return emailByToken.get(e.token());
        }
        JsonNode request = parse(e.requestBody());
        if (request == null) {
            return null;
        }
        if (request.hasNonNull("refreshToken")) {
            return emailByToken.get(request.get("refreshToken").asString());
        }
        if (request.hasNonNull("email") && (e.path().endsWith("/auth/login") || e.path().endsWith("/auth/register"))) {
            return request.get("email").asString().strip().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank() || !json.strip().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
