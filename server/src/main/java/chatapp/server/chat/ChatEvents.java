package chatapp.server.chat;

import chatapp.chat.ChatEvent;
import java.util.function.Consumer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.core.ResolvableType;

/**
 * Where {@link chatapp.chat.ChatService} hands its events: each {@link ChatEvent} is published as
 * a Spring application event, synchronously, on the thread that made the write, after the write
 * is durable (the service calls this only after the store's commit). The real-time fan-out
 * subscribes with {@code @EventListener void on(ChatEvent.MessageStored e)} (or
 * {@code MessagesRead}); a listener that throws does not undo the write, but fails the request
 * that made it, so listeners should hand off quickly and handle their own errors.
 *
 * <p>The event goes out wrapped as Spring would wrap it ({@link PayloadApplicationEvent}), but
 * with its generic type worked out once per event class: Spring builds that type again for the
 * publication and for each listener, about 1.5 % of a REST send's request thread
 * (docs/decisions/0067-rest-send-request-work.md).
 */
public final class ChatEvents implements Consumer<ChatEvent> {

    /** Per event class: its own type and that of the payload event that carries it. */
    private static final ClassValue<ResolvableType[]> TYPES = new ClassValue<>() {
        @Override
        protected ResolvableType[] computeValue(Class<?> eventClass) {
            ResolvableType payload = ResolvableType.forClass(eventClass);
            return new ResolvableType[] {payload, ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class, payload)};
        }
    };

    private final ApplicationEventPublisher publisher;

    public ChatEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void accept(ChatEvent event) {
        publisher.publishEvent(new Published(publisher, event)); // the source Spring gives it: the context
    }

    /** A chat event as Spring's payload event, its type known in advance. */
    private static final class Published extends PayloadApplicationEvent<ChatEvent> {
        private final transient ResolvableType type;

        Published(Object source, ChatEvent event) {
            this(source, event, TYPES.get(event.getClass()));
        }

        private Published(Object source, ChatEvent event, ResolvableType[] types) {
            super(source, event, types[0]);
            this.type = types[1];
        }

        @Override
        public ResolvableType getResolvableType() {
            return type;
        }
    }
}
