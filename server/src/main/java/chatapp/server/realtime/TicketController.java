package chatapp.server.realtime;

import chatapp.realtime.Tickets;
import chatapp.server.ChatAppProperties;
import com.fasterxml.jackson.annotation.JsonFormat;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code POST /api/v1/realtime/tickets} (API.md): a single-use ticket for the WebSocket handshake. */
@RestController
class TicketController {

    private final Tickets tickets;
    private final String configuredUrl;

    TicketController(Tickets tickets, ChatAppProperties properties) {
        this.tickets = tickets;
        this.configuredUrl = properties.websocketUrl();
    }

    /** The answer: the ticket, when it expires (ISO-8601 UTC, milliseconds), and the URL to connect to. */
    record TicketResponse(String ticket,
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            Instant expiresAt,
            String url) {
    }

    @PostMapping("/api/v1/realtime/tickets")
    ResponseEntity<TicketResponse> issue(Authentication caller, HttpServletRequest request) {
        Tickets.Issued issued = tickets.issue(caller.getName());
        String base = configuredUrl != null && !configuredUrl.isBlank() ? configuredUrl : ownUrl();
        String url = base + (base.contains("?") ? "&" : "?") + "ticket=" + issued.ticket();
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new TicketResponse(issued.ticket(), issued.expiresAt(), url));
    }

    /** ws(s)://host[:port]/ws as the client reached this server. */
    private static String ownUrl() {
        var b = ServletUriComponentsBuilder.fromCurrentContextPath().path(Gateway.PATH).replaceQuery(null);
        String http = b.toUriString();
        return http.startsWith("https:") ? "wss:" + http.substring("https:".length())
                : "ws:" + http.substring("http:".length());
    }
}
