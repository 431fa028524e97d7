package chatapp.server.realtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (the JDK's {@link WebSocket}): collects text frames as
 * JSON, remembers how the server closed. {@link #reading(boolean) reading(false)} stops asking
 * for frames, so the socket backs up like a client on a stalled network.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A closing handshake from the server: code and reason. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean reading = true;
    private volatile int pings;
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects to {@code uri}, optionally with an {@code Origin} header; fails with the handshake's error. */
    public static WsClient connect(URI uri, String origin) {
        WsClient client = new WsClient();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            client.socket = b.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(JSON.readTree(partial.toString()));
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings++;
        if (reading) {
            webSocket.request(1);
        }
        return null; // the JDK answers with a pong by itself
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        throw new AssertionError("the server sent a binary frame");
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
    }

    /** Stops or resumes reading from the socket. */
    public void reading(boolean on) {
        reading = on;
        if (on) {
            socket.request(1);
        }
    }

    /** Sends one text frame. */
    public WsClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends a JSON frame built from alternating field names and values. */
    public WsClient sendJson(Object... fieldsAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.set((String) fieldsAndValues[i], JSON.valueToTree(fieldsAndValues[i + 1]));
        }
        return send(JSON.writeValueAsString(node));
    }

    /** Sends a binary frame. */
    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next frame, waiting up to 30 s (generous: CI machines may be loaded). */
    public JsonNode next() {
        return next(Duration.ofSeconds(30));
    }

    /** The next frame, waiting up to {@code wait}; fails if none comes. */
    public JsonNode next(Duration wait) {
        try {
            JsonNode n = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                throw new AssertionError("no frame within " + wait + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame of {@code type}, skipping none: fails if another type comes first. */
    public JsonNode next(String type) {
        JsonNode n = next();
        if (!type.equals(n.path("type").asString())) {
            throw new AssertionError("expected a " + type + " frame, got " + n);
        }
        return n;
    }

    /** The first frame matching {@code test}, dropping the others, within {@code wait}. */
    public JsonNode await(Predicate<JsonNode> test, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n = next(Duration.ofNanos(Math.max(1, left)));
            if (test.test(n)) {
                return n;
            }
        }
    }

    /** Frames that arrived and were not taken yet (no waiting). */
    public List<JsonNode> drain() {
        List<JsonNode> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    /** Asserts that no frame arrives within {@code wait}. */
    public void expectNothing(Duration wait) {
        try {
            JsonNode n = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (n != null) {
                throw new AssertionError("unexpected frame " + n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How the server closed the socket, waiting up to {@code wait}. */
    public Closed closed(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + wait, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public int pings() {
        return pings;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
