package chatapp.server.realtime;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the ticket out of the handshake's URL before anything else sees the request: the
 * WebSocket session, Spring and Tomcat all keep and may log the request URI, and a ticket
 * must never reach a log. The ticket continues as a request attribute
 * ({@link #TICKET_ATTRIBUTE}) for {@link HandshakeRules}; the request carries no query.
 */
final class TicketFilter extends OncePerRequestFilter {

    static final String TICKET_ATTRIBUTE = TicketFilter.class.getName() + ".ticket";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !Gateway.PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ticket = request.getParameter("ticket");
        if (ticket != null) {
            request.setAttribute(TICKET_ATTRIBUTE, ticket);
        }
        chain.doFilter(new WithoutQuery(request), response);
    }

    private static final class WithoutQuery extends HttpServletRequestWrapper {
        WithoutQuery(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getQueryString() {
            return null;
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}
