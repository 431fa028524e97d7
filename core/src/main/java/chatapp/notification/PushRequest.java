package chatapp.notification;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One Web Push POST (RFC 8030 section 5) over one HTTP/1.1 connection to an address chosen
 * before, never to the endpoint's name resolved again: the address is the one
 * {@code PublicAddresses} checked, so a DNS answer that changes between the check and the
 * connection (rebinding) cannot move the request inside the network (decision 53). The endpoint's
 * host still goes in {@code Host}, in TLS's server name indication, and is what the certificate
 * must name (the JDK's {@code HTTPS} endpoint identification). The JDK's {@code HttpClient} has
 * no way to be given an address, hence this one request by hand; push services all speak HTTP/1.1.
 */
final class PushRequest {

    private static final int MAX_STATUS_LINE = 1024;

    private final SSLContext tls;
    private final Duration timeout;

    /**
     * @param tls the TLS context for {@code https} endpoints (the JDK's default trust outside tests)
     * @param timeout the longest wait to connect, and for each read of the answer
     */
    PushRequest(SSLContext tls, Duration timeout) {
        this.tls = tls;
        this.timeout = timeout;
    }

    /**
     * POSTs {@code body} with {@code headers} to {@code endpoint}, connecting to {@code address}.
     *
     * @return the answer's status code
     * @throws IOException if the connection, the TLS handshake (a certificate that does not name
     *     the endpoint's host included) or the exchange fails, or the answer is not HTTP
     */
    int post(URI endpoint, InetAddress address, Map<String, String> headers, byte[] body) throws IOException {
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        String host = endpoint.getHost().startsWith("[")
                ? endpoint.getHost().substring(1, endpoint.getHost().length() - 1) : endpoint.getHost();
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : https ? 443 : 80;
        String path = (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                + (endpoint.getRawQuery() == null ? "" : "?" + endpoint.getRawQuery());
        StringBuilder head = new StringBuilder().append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.getRawAuthority()).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> {
            if (!(name + value).matches("[^\\r\\n]*") || name.equalsIgnoreCase("Host")
                    || name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Connection")) {
                throw new IllegalArgumentException("a header the request sets itself, or one with a line break");
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("\r\n");

        int millis = (int) timeout.toMillis();
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            Socket socket = plain;
            if (https) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!host.contains(":") && !host.matches("[0-9.]+")) { // no SNI for an address (RFC 6066 section 3)
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                }
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return status(new BufferedInputStream(socket.getInputStream()));
        } finally {
            plain.close();
        }
    }

    /** The status code of the answer's status line ({@code HTTP/1.1 201 Created}, RFC 9112 section 4). */
    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (line.size() >= MAX_STATUS_LINE) {
                throw new IOException("status line too long");
            }
            line.write(c);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1).strip();
        if (!text.toUpperCase(Locale.ROOT).matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
            throw new IOException("not an HTTP/1.1 answer");
        }
        return Integer.parseInt(text.substring(9, 12));
    }
}
