package chatapp.server.realtime;

import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.core.RateLimiter.Limit;
import chatapp.realtime.Tickets;
import chatapp.server.AccountLimitsProperties;
import chatapp.server.ChatAppProperties;
import chatapp.server.security.AccessTokens;
import chatapp.server.security.OwnHost;
import com.fasterxml.jackson.annotation.JsonFormat;
import chatapp.core.ErrorCode;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
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
    private final OwnHost ownHost;
    private final RateLimiter limiter;
    /** Tickets per minute per account: what bounds a flood of new sockets (issue 19). */
    private final Limit perAccount;

    TicketController(Tickets tickets, ChatAppProperties properties, OwnHost ownHost, RateLimitStore buckets,
            Clock clock, AccountLimitsProperties limits) {
        this.tickets = tickets;
        this.limiter = new RateLimiter(buckets, clock);
        this.perAccount = Limit.steady("ticket", limits.ticketsPerMinute(), Duration.ofMinutes(1),
                limits.ticketsPerMinute(), "too many WebSocket tickets for your account");
        this.configuredUrl = properties.websocketUrl();
        this.ownHost = ownHost;
    }

    /** The answer: the ticket, when it expires (ISO-8601 UTC, milliseconds), and the URL to connect to. */
    record TicketResponse(@Schema(requiredMode = RequiredMode.REQUIRED) String ticket,
            @Schema(requiredMode = RequiredMode.REQUIRED)
            @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd'T'HH:mm:ss.SSSX", timezone = "UTC")
            Instant expiresAt,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "ws(s)://.../ws?ticket=...") String url) {
    }

    /** 201 with a ticket; 429 {@code rate_limited} with {@code Retry-After} over the account's tickets per minute. */
    @PostMapping("/api/v1/realtime/tickets")
    @SecurityRequirement(name = "bearer")
    @ApiResponse(responseCode = "201", description = "a single-use ticket")
    @Refusals(ErrorCode.RATE_LIMITED)
    ResponseEntity<TicketResponse> issue(Authentication caller, HttpServletRequest request) {
        limiter.take(caller.getName(), perAccount);
        // The bearer filter has checked that the session is live; the ticket is bound to it.
        String sessionId = caller.getDetails() instanceof AccessTokens.Bearer b ? b.sessionId() : null;
        Tickets.Issued issued = tickets.issue(caller.getName(), sessionId);
        String base = configuredUrl != null && !configuredUrl.isBlank() ? configuredUrl : ownUrl(request);
        String url = base + (base.contains("?") ? "&" : "?") + "ticket=" + issued.ticket();
        return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore())
                .body(new TicketResponse(issued.ticket(), issued.expiresAt(), url));
    }

    /**
     * ws(s)://host[:port]/ws as the client reached this server, when its Host header is one of this
     * server's names ({@link OwnHost}); else the loopback address on the port the request came in
     * on, so that a forged Host never travels back in a ticket (docs/decisions/0022-own-host.md).
     */
    private String ownUrl(HttpServletRequest request) {
        if (!ownHost.trusts(request.getHeader(HttpHeaders.HOST))) {
            return (request.isSecure() ? "wss" : "ws") + "://127.0.0.1:" + request.getLocalPort() + Gateway.PATH;
        }
        var b = ServletUriComponentsBuilder.fromCurrentContextPath().path(Gateway.PATH).replaceQuery(null);
        String http = b.toUriString();
        return http.startsWith("https:") ? "wss:" + http.substring("https:".length())
                : "ws:" + http.substring("http:".length());
    }
}
