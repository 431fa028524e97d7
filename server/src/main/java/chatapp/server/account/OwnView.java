package chatapp.server.account;

import chatapp.account.Profile;
import chatapp.account.User;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The caller's own view (API.md): the public view plus {@code email}, with the caller's profile
 * (issue 21). Never a password or a hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OwnView(@Schema(requiredMode = RequiredMode.REQUIRED) String userId, @Schema(requiredMode = RequiredMode.REQUIRED) String username, @Schema(requiredMode = RequiredMode.REQUIRED) String email,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"parent", "therapist"}) String userType,
        @Schema(description = "therapists") String specialization,
        @Schema(description = "parents", minimum = "0", maximum = "20") Integer childrenCount,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt,
        @Schema(maxLength = 64, description = "the name to show, when set") String displayName,
        @Schema(description = "the avatar photo, when set") UserView.AvatarView avatar,
        @Schema(maxLength = 1000, description = "therapists, when set") String bio,
        @Schema(maxLength = 200, description = "therapists, when set") String credentials,
        @Schema(maxLength = 120, description = "therapists, when set") String practice) {

    /** Without the profile: the sign-in answers, which read nothing more ({@code GET /users/me} has it). */
    static OwnView of(User u) {
        return of(u, Profile.EMPTY);
    }

    static OwnView of(User u, Profile p) {
        return new OwnView(u.userId(), u.username(), u.email(), u.userType().wire(), u.specialization(),
                u.childrenCount(), UserView.time(u.createdAt()), p.displayName(), UserView.AvatarView.of(u.userId(), p),
                p.bio(), p.credentials(), p.practice());
    }
}
