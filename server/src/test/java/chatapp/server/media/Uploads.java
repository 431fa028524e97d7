package chatapp.server.media;

import chatapp.server.RunningServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Uploads and downloads as a client sends them: multipart or raw bodies, over real HTTP. */
final class Uploads {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Uploads() {
    }

    /** {@code POST /api/v1/media} with {@code bytes} as the multipart field {@code field}. */
    static HttpResponse<String> multipart(RunningServer server, String token, String field, String fileName,
            String declaredType, byte[] bytes) {
        String boundary = "chatapp-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + declaredType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return server.send(HttpRequest.newBuilder(server.uri("/api/v1/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    /** {@code POST /api/v1/media} with the file as the whole body. */
    static HttpResponse<String> raw(RunningServer server, String token, String declaredType, byte[] bytes) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/v1/media"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", declaredType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    /** {@code GET /api/v1/media/{id}?variant=...} as {@code token}; the answer, not followed. */
    static HttpResponse<String> link(RunningServer server, String token, String mediaId, String variant) {
        return server.get("/api/v1/media/" + mediaId + (variant == null ? "" : "?variant=" + variant), token);
    }

    /** Follows a 302's {@code Location} (relative to the server, or absolute) with no credentials. */
    static HttpResponse<byte[]> follow(RunningServer server, HttpResponse<String> redirect, String range) {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return download(server, server.uri("/").resolve(location), range);
    }

    static HttpResponse<byte[]> download(RunningServer server, URI url, String range) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET();
        if (range != null) {
            b.header("Range", range);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
