package chatapp.server.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what one HTTP request may carry ({@code chatapp.limits.*}, each settable by its
 * environment variable). Photo and video uploads have their own limits
 * ({@code chatapp.upload.*}).
 *
 * @param jsonBody largest request body other than a media upload ({@code CHATAPP_LIMITS_JSON_BODY},
 *     e.g. {@code 512KB}); the largest real one, a message of 10,000 characters, is under 40 KB
 *     even when every character is escaped
 */
@ConfigurationProperties("chatapp.limits")
public record RequestLimits(@DefaultValue("256KB") DataSize jsonBody) {
}
