package chatapp.server.operations;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
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
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** A new random id, 16 hex digits. */
    public static String fresh() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        String id = given != null && PLAIN.matcher(given).matches() ? given : fresh();
        MDC.put(MDC_KEY, id);
        response.setHeader(HEADER, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
