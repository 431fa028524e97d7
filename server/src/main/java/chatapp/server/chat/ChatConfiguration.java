package chatapp.server.chat;

import chatapp.account.UserStore;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.core.CursorCodec;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.media.MediaService;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires conversations and messages: the service on the shape's store, and its events. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

    @Bean
    ChatEvents chatEvents(ApplicationEventPublisher publisher) {
        return new ChatEvents(publisher);
    }

    @Bean
    ChatService chatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, ChatEvents events,
            MediaService media, RateLimitStore buckets, Limits limits) {
        return new ChatService(store, users, cursors, clock, events, media, new RateLimiter(buckets, clock),
                RateLimiter.Limit.perPeriod("conversation-requests", limits.conversationRequestsPerDay(),
                        Duration.ofDays(1), "too many new conversation requests today"));
    }

    /**
     * {@code chatapp.limits.conversation-requests-per-day} ({@code CHATAPP_LIMITS_CONVERSATION_REQUESTS_PER_DAY}):
     * how many new conversations one account may request per day (docs/security.md, "Consent").
     */
    @ConfigurationProperties("chatapp.limits")
    record Limits(@DefaultValue("20") int conversationRequestsPerDay) {
    }
}
