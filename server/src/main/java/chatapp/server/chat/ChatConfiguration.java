package chatapp.server.chat;

import chatapp.account.UserStore;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.core.CursorCodec;
import chatapp.media.Attachments;
import chatapp.media.MediaStore;
import java.time.Clock;
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
            MediaStore media) {
        return new ChatService(store, users, cursors, clock, events, new Attachments(media));
    }
}
