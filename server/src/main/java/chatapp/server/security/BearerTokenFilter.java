package chatapp.server.security;

import chatapp.account.Sessions;
import chatapp.core.ErrorCode;
import chatapp.server.http.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /api/**} requests that carry {@code Authorization: Bearer <access token>}:
 * a valid token makes the userId the principal (so {@code Authentication.getName()} and
 * {@code @AuthenticationPrincipal String userId} give it; the session id is the details). A
 * token that is present but not valid is refused at once with 401 {@code invalid_token}; a
 * request without one goes on, and the authorization rules refuse it if it needs one. A token
 * of a session that has ended ({@link Sessions#live}: at once on this process, within
 * {@link Sessions#LIVENESS_TTL} of another's ending it) is refused the same way; an accepted
 * one marks its session used (the session list's last use, written at most once a minute).
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BearerTokenFilter.class);

    private final AccessTokens tokens;
    private final Sessions sessions;
    private final ProblemWriter problems;

    BearerTokenFilter(AccessTokens tokens, Sessions sessions, ProblemWriter problems) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The public auth endpoints ignore a stale token that a client sends along (e.g. to refresh).
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || SecurityConfiguration.PUBLIC_API.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<AccessTokens.Bearer> bearer = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.verify(header.substring(7).strip()) : Optional.empty();
        if (bearer.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            problems.write(response, ErrorCode.INVALID_TOKEN,
                    "the access token is missing, malformed, expired or not ours; log in or refresh");
            return;
        }
        boolean live;
        try {
            live = sessions.live(bearer.get().userId(), bearer.get().sessionId());
        } catch (RuntimeException e) {
            log.error("cannot check the session of a request of user {}", bearer.get().userId(), e);
            problems.write(response, ErrorCode.UNAVAILABLE, "try again in a moment");
            return;
        }
        if (!live) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            problems.write(response, ErrorCode.INVALID_TOKEN, "the session of this access token has ended; log in again");
            return;
        }
        try {
            sessions.used(bearer.get().userId(), bearer.get().sessionId());
        } catch (RuntimeException e) {
            // The session list's last use is a courtesy: it never fails the request.
            log.warn("cannot record the last use of a session of user {}: {}", bearer.get().userId(), e.toString());
        }
        var authentication = UsernamePasswordAuthenticationToken.authenticated(bearer.get().userId(), null, List.of());
        authentication.setDetails(bearer.get());
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
