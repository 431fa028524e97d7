package chatapp.server.realtime;

import chatapp.core.ErrorCode;
import chatapp.realtime.AllowedOrigins;
import chatapp.realtime.Ticket;
import chatapp.realtime.Tickets;
import chatapp.server.http.Problems;
import chatapp.server.security.OwnHost;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.WebUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may open a WebSocket (API.md, "Real-time WebSocket"): a browser page from an allowed
 * origin (else 403), holding an unspent, unexpired ticket of a live session (else 401). The Origin is checked
 * first, so a refused page does not spend the ticket. Allowed origins are
 * {@code chatapp.allowed-origins} plus the server's own, where "own" means the request's Host
 * only when {@link OwnHost} trusts it (else a DNS-rebinding page, whose Host is its own name,
 * would be "same origin"); a handshake without
 * {@code Origin} comes from a non-browser client, which Origin checks cannot protect anyway,
 * and is judged by its ticket alone. Refusals are problem documents.
 */
final class HandshakeRules implements HandshakeInterceptor {

    /** Session attribute holding the authenticated userId. */
    static final String USER_ID = HandshakeRules.class.getName() + ".userId";
    /** Session attribute holding the spent {@link Ticket} (its user and session). */
    static final String TICKET = HandshakeRules.class.getName() + ".ticket";

    private final Tickets tickets;
    private final AllowedOrigins allowedOrigins;
    private final OwnHost ownHost;
    private final JsonMapper json;

    HandshakeRules(Tickets tickets, List<String> allowedOrigins, OwnHost ownHost, JsonMapper json) {
        this.tickets = tickets;
        this.allowedOrigins = new AllowedOrigins(allowedOrigins);
        this.ownHost = ownHost;
        this.json = json;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws IOException {
        String origin = request.getHeaders().getOrigin();
        boolean sameOrigin = ownHost.trusts(request.getHeaders().getFirst(HttpHeaders.HOST))
                && isSameOrigin(request);
        if (!sameOrigin && !allows(origin)) {
            refuse(response, ErrorCode.FORBIDDEN, "origin " + origin + " may not open a WebSocket here");
            return false;
        }
        Optional<Ticket> spent = tickets.spend(ticket(request));
        if (spent.isEmpty()) {
            refuse(response, ErrorCode.UNAUTHORIZED,
                    "a valid ticket is required (POST /api/v1/realtime/tickets; single use, 60 s, of a live session)");
            return false;
        }
        attributes.put(USER_ID, spent.get().userId());
        attributes.put(TICKET, spent.get());
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
        // nothing to do
    }

    /**
     * Spring's check, where an Origin that is not a URL at all ({@code http://a:1.b},
     * {@code http://%zz}, a port over 65535) is not the same origin instead of an exception.
     */
    private static boolean isSameOrigin(ServerHttpRequest request) {
        try {
            return WebUtils.isSameOrigin(request);
        } catch (RuntimeException e) { // InvalidUrlException, IllegalArgumentException, NumberFormatException
            return false;
        }
    }

    /** The allow-list's answer; an unparseable Origin is not on it. */
    private boolean allows(String origin) {
        try {
            return allowedOrigins.allows(origin, null);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String ticket(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            HttpServletRequest r = servlet.getServletRequest();
            return r.getAttribute(TicketFilter.TICKET_ATTRIBUTE) instanceof String s ? s : null;
        }
        return null;
    }

    private void refuse(ServerHttpResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatusCode(org.springframework.http.HttpStatusCode.valueOf(code.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        response.getBody().write(json.writeValueAsBytes(Problems.of(code, detail, List.of())));
    }
}
