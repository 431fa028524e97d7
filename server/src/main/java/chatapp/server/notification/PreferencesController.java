package chatapp.server.notification;

import chatapp.account.Accounts;
import chatapp.account.UserType;
import chatapp.core.ErrorCode;
import chatapp.notification.NotificationStore;
import chatapp.notification.Preferences;
import chatapp.notification.PreferencesDocument;
import chatapp.server.http.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller's notification preferences (docs/api.md, "Notification preferences"). */
@RestController
@RequestMapping("/api/v1/users/me/preferences")
@SecurityRequirement(name = "bearer")
class PreferencesController {

    private static final String HH_MM = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    private final NotificationStore store;
    private final Accounts accounts;

    PreferencesController(NotificationStore store, Accounts accounts) {
        this.store = store;
        this.accounts = accounts;
    }

    /** The body of GET and PUT; see {@link PreferencesDocument}. */
    record PreferencesBody(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Web Push notifications on") Boolean push,
            @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "a push names the sender; off: \"New message\" only") Boolean pushShowsSender,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "unread-message emails on") Boolean email,
            @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", maximum = "1440",
                    description = "minutes a message stays unread before an email") Integer emailDelay,
            @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 64, example = "Europe/Oslo",
                    description = "IANA time zone of the quiet and stated hours") String timeZone,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true, pattern = HH_MM,
                    description = "start of quiet hours (no push, no email), with quietUntil") String quietFrom,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true, pattern = HH_MM,
                    description = "end of quiet hours; before quietFrom wraps midnight") String quietUntil,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true, maxLength = 500,
                    description = "therapists only: shown to a parent who writes outside the stated hours")
            String awayMessage,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true, pattern = HH_MM,
                    description = "therapists only: start of stated hours, with hoursUntil") String hoursFrom,
            @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true, pattern = HH_MM,
                    description = "therapists only: end of stated hours") String hoursUntil,
            @ArraySchema(schema = @Schema(allowableValues = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}),
                    uniqueItems = true, maxItems = 7,
                    arraySchema = @Schema(requiredMode = RequiredMode.NOT_REQUIRED, nullable = true,
                            description = "days of the stated hours (default MON-FRI); other days are away"))
            List<String> workDays) {

        static PreferencesBody of(Preferences p) {
            PreferencesDocument d = PreferencesDocument.of(p);
            return new PreferencesBody(d.push(), d.pushShowsSender(), d.email(), d.emailDelay(), d.timeZone(),
                    d.quietFrom(), d.quietUntil(), d.awayMessage(), d.hoursFrom(), d.hoursUntil(), d.workDays());
        }

        PreferencesDocument document() {
            return new PreferencesDocument(push, pushShowsSender, email, emailDelay, timeZone, quietFrom, quietUntil,
                    awayMessage, hoursFrom, hoursUntil, workDays);
        }
    }

    @Operation(summary = "The caller's notification preferences",
            description = "The defaults until the caller saves some: push and email on, email after 15 minutes, UTC,"
                    + " no quiet hours, no away message, MON-FRI.")
    @GetMapping
    PreferencesBody get(@AuthenticationPrincipal String userId) {
        return PreferencesBody.of(store.preferences(userId).orElseGet(Preferences::defaults));
    }

    @Operation(summary = "Replace the caller's notification preferences",
            description = "400 validation_failed naming each invalid field: timeZone must be an IANA id, times HH:MM,"
                    + " emailDelay 1-1440 minutes, both ends of a range or neither; awayMessage, hoursFrom and"
                    + " hoursUntil are for therapists only.")
    @Refusals(ErrorCode.NOT_FOUND)
    @PutMapping
    PreferencesBody put(@AuthenticationPrincipal String userId, @RequestBody PreferencesBody body) {
        if (body == null) {
            throw chatapp.core.ChatAppException.invalid("body", "is required");
        }
        boolean therapist = accounts.get(userId).userType() == UserType.THERAPIST;
        Preferences p = body.document().toPreferences(therapist);
        store.savePreferences(userId, p);
        return PreferencesBody.of(p);
    }
}
