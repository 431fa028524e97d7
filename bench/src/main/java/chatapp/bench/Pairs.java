package chatapp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parent-therapist pairs, each with its conversation: created through the API in parallel and
 * kept in a state file keyed by target, so that the next run against the same server signs the
 * same users in again (refresh, else login) instead of registering them (password hashing is
 * deliberately slow). The file holds passwords and refresh tokens of throwaway bench users; it is
 * written owner-only.
 */
final class Pairs {

    /** A parent and a therapist and their one conversation. */
    record Pair(int index, Account parent, Account therapist, String conversationId) {
    }

    /** Registrations in flight: the server hashes at most two passwords per core at once anyway. */
    private static final int PARALLEL = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pairs() {
    }

    /**
     * {@code n} pairs ready to use on {@code api}'s server: saved ones for {@code key} first
     * (signed in again; dropped if the server no longer knows them), new ones for the rest.
     *
     * @param key the state file's key for this server, or null to neither read nor write the file
     *     (a fresh server the tool started: nothing to reuse)
     */
    static List<Pair> prepare(Api api, int n, Path stateFile, String key, PrintStream log) throws Exception {
        ObjectNode state = key == null ? Api.JSON.createObjectNode() : read(stateFile);
        ObjectNode targets = state.has("targets") ? (ObjectNode) state.get("targets") : state.putObject("targets");
        List<JsonNode> saved = new ArrayList<>();
        if (key != null && targets.path(key).path("pairs").isArray()) {
            targets.path(key).path("pairs").forEach(saved::add);
        }
        List<Pair> pairs = new ArrayList<>();
        AtomicInteger reused = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        long t0 = System.nanoTime();
        String run = token(4).replaceAll("[^A-Za-z0-9]", "x");
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, Thread.ofVirtual().factory())) {
            List<Future<Pair>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                JsonNode old = i < saved.size() ? saved.get(i) : null;
                futures.add(pool.submit(() -> {
                    if (old != null) {
                        Pair p = reuse(api, index, old);
                        if (p != null) {
                            reused.incrementAndGet();
                            return p;
                        }
                    }
                    Pair p = create(api, index, run);
                    int c = created.incrementAndGet();
                    if (c % 100 == 0) {
                        log.printf("  %d pairs created%n", c);
                    }
                    return p;
                }));
            }
            for (Future<Pair> f : futures) {
                try {
                    pairs.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
        log.printf("pairs: %d reused, %d created in %.1f s%n", reused.get(), created.get(), (System.nanoTime() - t0) / 1e9);
        if (key != null) {
            ArrayNode list = Api.JSON.createArrayNode();
            for (Pair p : pairs) {
                list.add(Api.JSON.createObjectNode().put("conversationId", p.conversationId())
                        .<ObjectNode>set("parent", account(p.parent())).set("therapist", account(p.therapist())));
            }
            for (int i = n; i < saved.size(); i++) {
                list.add(saved.get(i)); // pairs beyond this run's n stay for bigger runs
            }
            targets.putObject(key).set("pairs", list);
            write(stateFile, state);
        }
        return pairs;
    }

    private static Pair reuse(Api api, int index, JsonNode saved) {
        Account parent = account(saved.path("parent"));
        Account therapist = account(saved.path("therapist"));
        try {
            api.signIn(parent);
            api.signIn(therapist);
            String conversationId = saved.path("conversationId").asString();
            return api.conversationVisible(parent, conversationId) ? new Pair(index, parent, therapist, conversationId) : null;
        } catch (Api.ApiException e) {
            if (e.status == 401 || e.status == 404) {
                return null; // a server with other data: make new users
            }
            throw e;
        }
    }

    private static Pair create(Api api, int index, String run) {
        String password = token(18) + "-Bench-9";
        String p = "bp" + run + "-" + index;
        String t = "bt" + run + "-" + index;
        Account parent = api.register(p, p.toLowerCase() + "@bench.example.org", password, true);
        Account therapist = api.register(t, t.toLowerCase() + "@bench.example.org", password, false);
        String conversationId = api.openConversation(parent, therapist.userId);
        api.acceptConversation(therapist, conversationId);
        return new Pair(index, parent, therapist, conversationId);
    }

    private static ObjectNode account(Account a) {
        return Api.JSON.createObjectNode().put("userId", a.userId).put("email", a.email).put("password", a.password)
                .put("refreshToken", a.refreshToken());
    }

    private static Account account(JsonNode n) {
        Account a = new Account(n.path("userId").asString(), n.path("email").asString(), n.path("password").asString());
        String refresh = n.path("refreshToken").asString(null);
        a.tokens(null, refresh == null || refresh.isEmpty() ? null : refresh);
        return a;
    }

    private static ObjectNode read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Api.JSON.createObjectNode();
        }
        JsonNode n = Api.JSON.readTree(Files.readAllBytes(file)); // bytes: see Api.callOnce
        return n instanceof ObjectNode o ? o : Api.JSON.createObjectNode();
    }

    private static void write(Path file, ObjectNode state) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "state", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
