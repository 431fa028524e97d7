package chatapp.server.notification;

import chatapp.account.SessionEnded;
import chatapp.account.UserStore;
import chatapp.chat.ChatEvent;
import chatapp.notification.NotificationStore;
import chatapp.notification.Notifications;
import chatapp.notification.WebPushDelivery;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.FanOut;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Wires notifications (docs/notifications.md): {@link Notifications} fed by every
 * stored message, and the removal of a session's push subscription when the session ends.
 */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NotificationConfiguration.class);

    /** Pushes only where {@code chatapp.server.shape.PushKeysConfiguration} found VAPID keys. */
    @Bean(destroyMethod = "close")
    Notifications notifications(NotificationStore store, UserStore users, ConnectionStore connections, FanOut fanOut,
            Clock clock, PushProperties push, ObjectProvider<WebPushDelivery> delivery) {
        return new Notifications(store, users, connections, fanOut, delivery.getIfAvailable(), clock, push.threads());
    }

    @Bean
    NotificationEvents notificationEvents(Notifications notifications, NotificationStore store) {
        return new NotificationEvents(notifications, store);
    }

    /** Hands every stored message to {@link Notifications} (queued: never slows the send) and ends subscriptions with their session. */
    static final class NotificationEvents {

        private final Notifications notifications;
        private final NotificationStore store;

        NotificationEvents(Notifications notifications, NotificationStore store) {
            this.notifications = notifications;
            this.store = store;
        }

        @EventListener
        void on(ChatEvent.MessageStored stored) {
            notifications.on(stored);
        }

        /** Logout, log out everywhere, a password change, account deletion: the session's push subscription goes too. */
        @EventListener
        void on(SessionEnded ended) {
            try {
                store.deletePushSubscription(ended.userId(), ended.sessionId());
            } catch (RuntimeException e) {
                log.error("cannot remove the push subscription of an ended session of user {}", ended.userId(), e);
            }
        }
    }
}
