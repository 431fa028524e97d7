package chatapp.server.realtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many WebSockets one user may hold ({@code chatapp.limits.sockets-per-user},
 * {@code CHATAPP_LIMITS_SOCKETS_PER_USER}). When a new one opens past the cap, the user's oldest
 * is closed with 4429 (docs/protocol.md): a user who reloads keeps working, and a forgotten tab
 * gives way.
 */
@ConfigurationProperties("chatapp.limits")
public record SocketLimits(@DefaultValue("10") int socketsPerUser) {

    public SocketLimits {
        if (socketsPerUser < 1) {
            throw new IllegalArgumentException("chatapp.limits.sockets-per-user must be at least 1: " + socketsPerUser);
        }
    }
}
