package chatapp.server.operations;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every REST request (and, in the gateway, every WebSocket frame) a request id in the
 * logging context (MDC key {@value #MDC_KEY}), so that every log line of its handling, its
 * durable write and its fan-out (which run on the request's thread) carries it
 * (docs/operations.md, "Logs"). A client's {@code X-Request-Id} is kept when it is a plain token
 * (letters, digits, {@code -}, up to 64), so a proxy's id carries through; anything else is
 * replaced, so nothing a client chose can forge a log line. The id is echoed in the response.
 */
public final class RequestIds extends OncePerRequestFilter {

    /** The MDC key, also the field name in JSON log lines. */
    public static final String MDC_KEY = "requestId";
    static final String HEADER = "X-Request-Id";
    private static final HexFormat HEX = HexFormat.of();

    /** A new random id, 16 hex digits. */
    public static String fresh() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong()); // String.format cost a send 1 %
    }

    /** Letters, digits and {@code -}, 1 to 64 of them (no regex: this runs on every request and frame). */
    static boolean plain(String id) {
        int n = id.length();
        if (n == 0 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && plain(given) ? given : fresh();
        MDC.put(MDC_KEY, id);
        response.setHeader(HEADER, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
