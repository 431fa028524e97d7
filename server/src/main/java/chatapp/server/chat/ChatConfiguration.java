package chatapp.server.chat;

import chatapp.account.UserStore;
import chatapp.aws.DynamoChatStore;
import chatapp.aws.DynamoSettings;
import chatapp.chat.ChatService;
import chatapp.chat.ChatStore;
import chatapp.core.CursorCodec;
import chatapp.embedded.SqliteChatStore;
import chatapp.embedded.SqliteDatabase;
import chatapp.media.MediaService;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Wires conversations and messages: the store chosen by {@code chatapp.store}, the service, its events. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

    @Bean
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "sqlite", matchIfMissing = true)
    ChatStore sqliteChatStore(SqliteDatabase database) {
        return new SqliteChatStore(database);
    }

    @Bean
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "dynamodb")
    ChatStore dynamoChatStore(DynamoDbClient client, DynamoSettings settings) {
        return new DynamoChatStore(client, settings);
    }

    @Bean
    ChatEvents chatEvents(ApplicationEventPublisher publisher) {
        return new ChatEvents(publisher);
    }

    @Bean
    ChatService chatService(ChatStore store, UserStore users, CursorCodec cursors, Clock clock, ChatEvents events,
            MediaService media) {
        return new ChatService(store, users, cursors, clock, events, media);
    }
}
