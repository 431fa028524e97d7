package chatapp.server.chat;

import chatapp.account.UserStore;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.MessageLimit;
import chatapp.core.CursorCodec;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import chatapp.media.Attachments;
import chatapp.media.Erasure;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.server.AccountLimitsProperties;
import java.time.Clock;
import java.time.Duration;
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
            MediaStore media, MediaFiles files, RateLimitStore buckets, AccountLimitsProperties limits) {
        RateLimiter limiter = new RateLimiter(buckets, clock);
        return new ChatService(store, users, cursors, clock, events, new Attachments(media),
                new MessageLimit(limiter, limits.messages()), limiter,
                RateLimiter.Limit.perPeriod("conversation-requests", limits.conversationRequestsPerDay(),
                        Duration.ofDays(1), "too many new conversation requests today"),
                new Erasure(media, files));
    }
}
