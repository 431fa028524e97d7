package chatapp.server;

import chatapp.chat.MessageLimit;
import chatapp.media.UploadLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The limits per account (issue 19; docs/security.md, "Limits"): {@code chatapp.limits.*}, e.g.
 * {@code CHATAPP_LIMITS_MESSAGES_PER_MINUTE}. Each is counted in the shape's rate-limit store, so
 * it holds across every socket, REST and node. The sign-in limits are in
 * {@code chatapp.server.account.AuthLimits}.
 *
 * @param messagesPerMinute messages an account may send per minute, on average
 * @param messageBurst messages an account may send at once
 * @param ticketsPerMinute WebSocket tickets an account may take per minute
 * @param uploadsPerHour photo and video uploads an account may start per hour
 * @param uploadBytesPerDay bytes an account may upload per day (e.g. {@code 500MB})
 * @param unattachedMediaAge an upload no message has used is deleted once this old
 * @param unattachedMediaSweep how often the server looks for such uploads (the first time one
 *     interval after the start)
 * @param conversationRequestsPerDay new conversations (requests) an account may open per day
 *     (docs/security.md, "Consent")
 */
@ConfigurationProperties("chatapp.limits")
public record AccountLimitsProperties(
        @DefaultValue("60") int messagesPerMinute,
        @DefaultValue("20") int messageBurst,
        @DefaultValue("30") int ticketsPerMinute,
        @DefaultValue("60") int uploadsPerHour,
        @DefaultValue("500MB") DataSize uploadBytesPerDay,
        @DefaultValue("24h") Duration unattachedMediaAge,
        @DefaultValue("1h") Duration unattachedMediaSweep,
        @DefaultValue("20") int conversationRequestsPerDay) {

    /**
     * @throws IllegalArgumentException naming the setting, for a count below 1 or a size or
     *     duration that is not positive (no limit can be kept with them)
     */
    public AccountLimitsProperties {
        atLeastOne("messages-per-minute", messagesPerMinute);
        atLeastOne("message-burst", messageBurst);
        atLeastOne("tickets-per-minute", ticketsPerMinute);
        atLeastOne("uploads-per-hour", uploadsPerHour);
        atLeastOne("conversation-requests-per-day", conversationRequestsPerDay);
        if (uploadBytesPerDay.toBytes() < 1) {
            throw new IllegalArgumentException("chatapp.limits.upload-bytes-per-day must be positive: " + uploadBytesPerDay);
        }
        if (!unattachedMediaAge.isPositive() || !unattachedMediaSweep.isPositive()) {
            throw new IllegalArgumentException("chatapp.limits.unattached-media-"
                    + (unattachedMediaAge.isPositive() ? "sweep" : "age") + " must be positive");
        }
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("chatapp.limits." + name + " must be at least 1: " + value);
        }
    }

    /** The message limit for core's {@code ChatService}. */
    public MessageLimit.Rate messages() {
        return new MessageLimit.Rate(messagesPerMinute, messageBurst);
    }

    /** The upload limits for core's {@code MediaService}. */
    public UploadLimits.Rate uploads() {
        return new UploadLimits.Rate(uploadsPerHour, uploadBytesPerDay.toBytes());
    }
}
