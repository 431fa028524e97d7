package chatapp.server.operations;

import chatapp.core.ErrorCode;
import chatapp.server.http.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /actuator/prometheus} on the public port (docs/decisions/0037-metrics.md):
 * without {@code CHATAPP_METRICS_TOKEN} the endpoint answers 404 as if it did not exist; with
 * it, a scrape must send {@code Authorization: Bearer <token>} (compared in constant time),
 * otherwise 401.
 */
final class MetricsTokenFilter extends OncePerRequestFilter {

    static final String PATH = "/actuator/prometheus";

    private final byte[] token;
    private final ProblemWriter problems;

    /** @param token the scrape token; blank turns the endpoint off */
    MetricsTokenFilter(String token, ProblemWriter problems) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (token == null) {
            problems.write(response, ErrorCode.NOT_FOUND, "no such resource");
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
            problems.write(response, ErrorCode.UNAUTHORIZED, "metrics need the scrape token (CHATAPP_METRICS_TOKEN)");
            return;
        }
        chain.doFilter(request, response);
    }
}
