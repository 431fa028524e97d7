package chatapp.server.chat;

import chatapp.chat.ChatEvent;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Where {@link chatapp.chat.ChatService} hands its events: each {@link ChatEvent} is published as
 * a Spring application event, synchronously, on the thread that made the write, after the write
 * is durable (the service calls this only after the store's commit). The real-time fan-out
 * subscribes with {@code @EventListener void on(ChatEvent.MessageStored e)} (or
 * {@code MessagesRead}); a listener that throws does not undo the write, but fails the request
 * that made it, so listeners should hand off quickly and handle their own errors.
 */
public final class ChatEvents implements Consumer<ChatEvent> {

    private final ApplicationEventPublisher publisher;

    public ChatEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void accept(ChatEvent event) {
        publisher.publishEvent(event);
    }
}
