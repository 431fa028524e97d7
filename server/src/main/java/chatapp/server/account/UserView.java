package chatapp.server.account;

import chatapp.account.Profile;
import chatapp.account.User;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The public view of a user (API.md "Resources"): never an email, a password or a hash.
 * {@code specialization} (therapists) and {@code childrenCount} (parents) appear when set; so do
 * the profile's {@code displayName}, {@code avatar} and, for therapists, {@code bio},
 * {@code credentials} and {@code practice} (issue 21), to those who may see the profile
 * ({@link ProfileViews}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(@Schema(requiredMode = RequiredMode.REQUIRED) String userId, @Schema(requiredMode = RequiredMode.REQUIRED) String username,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"parent", "therapist"}) String userType,
        @Schema(description = "therapists") String specialization,
        @Schema(description = "parents", minimum = "0", maximum = "20") Integer childrenCount,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt,
        @Schema(maxLength = 64, description = "the name to show, when set (Unicode, NFKC)") String displayName,
        @Schema(description = "the avatar photo, when set") AvatarView avatar,
        @Schema(maxLength = 1000, description = "therapists, when set") String bio,
        @Schema(maxLength = 200, description = "therapists, when set") String credentials,
        @Schema(maxLength = 120, description = "therapists, when set") String practice) {

    /** API.md: ISO-8601 UTC with milliseconds. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** The view without a profile (a deleted peer's placeholder, a blocked peer). */
    public static UserView of(User u) {
        return of(u, Profile.EMPTY);
    }

    /** The view with {@code p}'s fields; the caller has checked that the viewer may see the profile. */
    public static UserView of(User u, Profile p) {
        return new UserView(u.userId(), u.username(), u.userType().wire(), u.specialization(), u.childrenCount(),
                u.createdAt() == null ? null : time(u.createdAt()), // null: a deleted peer's placeholder
                p.displayName(), AvatarView.of(u.userId(), p), p.bio(), p.credentials(), p.practice());
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * Where a user's avatar is (API.md, {@code GET /users/{userId}/avatar}): API paths that answer
     * 302 to a short-lived link, for those who may see the profile. {@code mediaId} changes with
     * every new avatar, so a client may cache by it.
     */
    public record AvatarView(@Schema(requiredMode = RequiredMode.REQUIRED) String mediaId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the photo") String url,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "its JPEG thumbnail") String thumbnailUrl) {

        static AvatarView of(String userId, Profile p) {
            if (p.avatarMediaId() == null) {
                return null;
            }
            String url = "/api/v1/users/" + userId + "/avatar";
            return new AvatarView(p.avatarMediaId(), url, url + "?variant=thumbnail");
        }
    }
}
