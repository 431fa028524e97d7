package chatapp.server.shape;

import chatapp.aws.SigningKeySecret;
import chatapp.notification.VapidKeyPair;
import chatapp.notification.WebPushDelivery;
import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import chatapp.server.notification.PushProperties;
import com.interaso.webpush.VapidKeys;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the VAPID keys of Web Push come from, by shape (docs/notifications.md): configured
 * ({@code CHATAPP_PUSH_VAPID_KEYS}), read from Secrets Manager at start
 * ({@code CHATAPP_PUSH_VAPID_KEYS_SECRET}, the AWS shape), or on one machine generated once into
 * the data directory ({@code vapid-keys}, owner-only). The DynamoDB shape without configured keys
 * runs without push (every node must sign with the same key, so none generates one) and says so
 * once at start.
 */
@Configuration(proxyBeanMethods = false)
class PushKeysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PushKeysConfiguration.class);

    /** The delivery, or null (no push): {@code ObjectProvider.getIfAvailable()} then gives null. */
    @Bean
    WebPushDelivery webPushDelivery(PushProperties push, ChatAppProperties app, ObjectProvider<ShapeOpening> opening) {
        ShapeOpening early = opening.getIfAvailable();
        if (early != null) {
            early.awaitPushKeys(app.dataDir().toAbsolutePath().normalize()); // made beside Spring on a fresh directory
        }
        VapidKeys keys = vapidKeys(push, app);
        return keys == null ? null : new WebPushDelivery(push.subject(), keys, push.allowPrivateEndpoints());
    }

    static VapidKeys vapidKeys(PushProperties push, ChatAppProperties app) {
        String text = push.vapidKeys();
        if (isBlank(text) && !isBlank(push.vapidKeysSecret())) {
            text = SigningKeySecret.read(push.vapidKeysSecret().strip());
        }
        if (!isBlank(text)) {
            try {
                return VapidKeyPair.parse(text);
            } catch (IllegalArgumentException e) {
                throw new OperatorError("CHATAPP_PUSH_VAPID_KEYS: " + e.getMessage());
            }
        }
        if (app.store() == ChatAppProperties.Store.DYNAMODB) {
            log.warn("Web Push is off: set CHATAPP_PUSH_VAPID_KEYS or CHATAPP_PUSH_VAPID_KEYS_SECRET"
                    + " (docs/notifications.md)");
            return null;
        }
        try {
            return VapidKeyPair.fromDataDir(app.dataDir().toAbsolutePath().normalize());
        } catch (IOException | IllegalArgumentException e) {
            throw new OperatorError("cannot read or create the VAPID keys " + VapidKeyPair.FILE
                    + " in the data directory: " + e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
