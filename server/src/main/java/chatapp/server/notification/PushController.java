package chatapp.server.notification;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.notification.NotificationStore;
import chatapp.notification.Notifications;
import chatapp.notification.PushSubscription;
import chatapp.server.http.Refusals;
import chatapp.server.security.AccessTokens;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.time.Clock;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web Push (docs/api.md, "Web Push"): the server's VAPID public key, and the push subscription
 * of the caller's session (one per session; it ends with the session).
 */
@RestController
@SecurityRequirement(name = "bearer")
class PushController {

    private final Notifications notifications;
    private final NotificationStore store;
    private final PushProperties push;
    private final Clock clock;

    PushController(Notifications notifications, NotificationStore store, PushProperties push, Clock clock) {
        this.notifications = notifications;
        this.store = store;
        this.push = push;
        this.clock = clock;
    }

    /** {@code GET /push/vapid-public-key}. */
    record VapidPublicKey(@Schema(requiredMode = RequiredMode.REQUIRED,
            description = "the applicationServerKey for PushManager.subscribe, base64url (65 bytes)") String publicKey) {
    }

    @Operation(summary = "The server's VAPID public key, for PushManager.subscribe",
            description = "404 not_found when this deployment sends no pushes (the AWS shape without VAPID keys).")
    @Refusals(ErrorCode.NOT_FOUND)
    @GetMapping("/api/v1/push/vapid-public-key")
    VapidPublicKey publicKey() {
        return new VapidPublicKey(notifications.publicKey()
                .orElseThrow(() -> ChatAppException.notFound("this server sends no push notifications")));
    }

    /** The browser's keys of a subscription, as PushSubscription.toJSON() gives them. */
    record Keys(@Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String p256dh,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String auth) {
    }

    /** {@code POST /users/me/push-subscriptions}: PushSubscription.toJSON() (expirationTime is ignored). */
    record SubscriptionBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = PushSubscription.MAX_ENDPOINT,
                    format = "uri", description = "the push service's https URL") String endpoint,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true) Long expirationTime,
            @Schema(requiredMode = RequiredMode.REQUIRED) Keys keys) {
    }

    @Operation(summary = "Store the Web Push subscription of the caller's session",
            description = "Replaces the session's earlier one. 400 validation_failed naming endpoint (an https URL),"
                    + " keys.p256dh (a P-256 public key, base64url) or keys.auth (16 bytes, base64url). An endpoint whose host"
                    + " is, or resolves to, a loopback, private, link-local or other internal address is refused.")
    @ApiResponse(responseCode = "204", description = "stored")
    @Refusals(ErrorCode.FORBIDDEN)
    @PostMapping("/api/v1/users/me/push-subscriptions")
    ResponseEntity<Void> subscribe(Authentication caller, @RequestBody SubscriptionBody body) {
        if (body == null || body.keys() == null) {
            throw ChatAppException.invalid("keys", "is required");
        }
        store.savePushSubscription(PushSubscription.of(caller.getName(), sessionId(caller), body.endpoint(),
                body.keys().p256dh(), body.keys().auth(), clock.instant(), push.allowHttpEndpoints(),
                push.allowPrivateEndpoints()));
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Remove the Web Push subscription of the caller's session",
            description = "204 also when there was none (idempotent). Logging out removes it as well.")
    @ApiResponse(responseCode = "204", description = "removed")
    @Refusals(ErrorCode.FORBIDDEN)
    @DeleteMapping("/api/v1/users/me/push-subscriptions")
    ResponseEntity<Void> unsubscribe(Authentication caller) {
        store.deletePushSubscription(caller.getName(), sessionId(caller));
        return ResponseEntity.noContent().build();
    }

    private static String sessionId(Authentication caller) {
        if (caller.getDetails() instanceof AccessTokens.Bearer b && b.sessionId() != null) {
            return b.sessionId();
        }
        // Tokens from before sessions were named: no session to end the subscription with.
        throw ChatAppException.forbidden("sign in again to receive push notifications");
    }
}
