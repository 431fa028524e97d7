package chatapp.server.realtime;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the built-in WebSocket gateway ({@code chatapp.websocket.*}, each settable by its
 * environment variable, e.g. {@code CHATAPP_WEBSOCKET_PING_INTERVAL=20s}). The defaults suit
 * people chatting; tests shrink them.
 *
 * @param pingInterval a connection silent this long gets a ping; one that stays silent for
 *     another interval is dropped as dead
 * @param outboundFrames frames waiting for a slow client before it is disconnected
 * @param outboundBytes bytes waiting for a slow client before it is disconnected
 * @param framesPerSecond sustained frames a client may send (more is a flood: close 1008)
 * @param frameBurst frames a client may send at once above that rate
 * @param badFramesPerMinute malformed or unknown frames tolerated (more: close 1008)
 * @param typingInterval at most one {@code typing} event per conversation and connection per
 *     interval reaches the peer; the rest are coalesced
 * @param sendTimeout a write to a client that takes longer drops the connection
 */
@ConfigurationProperties("chatapp.websocket")
public record RealtimeProperties(
        @DefaultValue("30s") Duration pingInterval,
        @DefaultValue("256") int outboundFrames,
        @DefaultValue("1MB") DataSize outboundBytes,
        @DefaultValue("20") int framesPerSecond,
        @DefaultValue("60") int frameBurst,
        @DefaultValue("10") int badFramesPerMinute,
        @DefaultValue("2s") Duration typingInterval,
        @DefaultValue("10s") Duration sendTimeout) {
}
