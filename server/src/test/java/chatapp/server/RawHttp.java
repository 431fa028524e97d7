package chatapp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for requests that {@link java.net.http.HttpClient} will not send:
 * raw paths ({@code %2F}, {@code \}, {@code ;jsessionid}), a forged {@code Host}, a body that is
 * declared but never sent in full. Reads one response (by {@code Content-Length}, chunked, or to
 * the end of the stream).
 */
public final class RawHttp {

    /** One response: status, headers (lower-case names), body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        private static final JsonMapper JSON = JsonMapper.builder().build();

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /**
         * Asserts a problem document (API.md "Errors"): this status and code, a detail, no HTML
         * and no stack trace; returns its JSON.
         */
        public JsonNode problem(int status, String code) {
            assertThat(status()).as(body).isEqualTo(status);
            assertThat(header("content-type")).as(body).startsWith("application/problem+json");
            assertThat(body).doesNotContainIgnoringCase("<html").doesNotContain("at org.", "at java.");
            JsonNode json = JSON.readTree(body);
            assertThat(json.path("code").asString()).as(body).isEqualTo(code);
            assertThat(json.path("status").asInt()).isEqualTo(status);
            assertThat(json.path("detail").asString()).isNotBlank();
            return json;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}, reads the answer. */
    public static Response exchange(URI server, String head, byte[] body) {
        return exchange(server, head, body, null);
    }

    /**
     * As {@link #exchange(URI, String, byte[])}, from the local address {@code from} (e.g.
     * {@code 127.0.0.2}: on Linux every 127.x address is the loopback), so that the server sees
     * another client IP; null for any.
     */
    public static Response exchange(URI server, String head, byte[] body, java.net.InetAddress from) {
        try (Socket socket = new Socket(server.getHost(), server.getPort(), from, 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server answered and closed before taking it all: read what it said
                }
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else {
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                    body.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // a kept-alive connection without a length: what came is the body
            }
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
