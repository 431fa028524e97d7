package chatapp.server.account;

import chatapp.account.User;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The public view of a user (API.md "Resources"): never an email, a password or a hash.
 * {@code specialization} (therapists) and {@code childrenCount} (parents) appear when set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(@Schema(requiredMode = RequiredMode.REQUIRED) String userId, @Schema(requiredMode = RequiredMode.REQUIRED) String username,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"parent", "therapist"}) String userType,
        @Schema(description = "therapists") String specialization,
        @Schema(description = "parents", minimum = "0", maximum = "20") Integer childrenCount,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt) {

    /** API.md: ISO-8601 UTC with milliseconds. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    public static UserView of(User u) {
        return new UserView(u.userId(), u.username(), u.userType().wire(), u.specialization(), u.childrenCount(),
                u.createdAt() == null ? null : time(u.createdAt())); // null: a deleted peer's placeholder
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }
}
