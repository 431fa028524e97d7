package chatapp.server.realtime;

import chatapp.chat.ChatEvent;
import chatapp.realtime.RealtimeEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Hands every chat event (published after the write is durable, from REST and WebSocket calls
 * alike) to the real-time fan-out. A failure here is logged, never thrown: the write it follows
 * has succeeded, and clients that miss an event catch up over REST.
 */
final class ChatFanOut {

    private static final Logger log = LoggerFactory.getLogger(ChatFanOut.class);

    private final RealtimeEvents events;

    ChatFanOut(RealtimeEvents events) {
        this.events = events;
    }

    @EventListener
    void on(ChatEvent event) {
        if (log.isDebugEnabled()) {
            // ids only: the request id in the logging context ties this line to its send
            log.debug("fan-out of {}{}", event.getClass().getSimpleName(),
                    event instanceof ChatEvent.MessageStored m ? " " + m.message().messageId() : "");
        }
        try {
            events.on(event);
        } catch (RuntimeException e) {
            log.error("fan-out of {} failed", event.getClass().getSimpleName(), e);
        }
    }
}
