package chatapp.server.realtime;

import chatapp.account.SessionEnded;
import chatapp.realtime.RealtimeEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Closes the WebSockets of every session this process ends ({@link SessionEnded}, published by
 * {@code chatapp.account.Sessions} after the store has it), in whichever real-time shape runs.
 * A failure is logged, never thrown: the session has ended, its access tokens and tickets are
 * refused, and the built-in gateway's heartbeat (or the Lambda's {@code $default}) closes what
 * is left.
 */
final class SessionFanOut {

    private static final Logger log = LoggerFactory.getLogger(SessionFanOut.class);

    private final RealtimeEvents events;

    SessionFanOut(RealtimeEvents events) {
        this.events = events;
    }

    @EventListener
    void on(SessionEnded ended) {
        try {
            events.sessionEnded(ended.userId(), ended.sessionId());
        } catch (RuntimeException e) {
            log.error("cannot close the connections of an ended session of user {}", ended.userId(), e);
        }
    }
}
