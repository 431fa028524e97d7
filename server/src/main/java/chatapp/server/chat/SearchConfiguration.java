package chatapp.server.chat;

import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.chat.MessageSearch;
import chatapp.core.CursorCodec;
import chatapp.core.RateLimitStore;
import chatapp.core.RateLimiter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires search on the shape's store, charged to the shape's rate-limit buckets. */
@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    @Bean
    MessageSearch messageSearch(ChatStore store, ChatService chat, CursorCodec cursors, RateLimitStore buckets,
            Clock clock) {
        return new MessageSearch(store, chat, cursors, new RateLimiter(buckets, clock));
    }
}
