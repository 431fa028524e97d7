package chatapp.server.account;

import chatapp.account.User;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The caller's own view (API.md): the public view plus {@code email}. Never a password or a hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OwnView(@Schema(requiredMode = RequiredMode.REQUIRED) String userId, @Schema(requiredMode = RequiredMode.REQUIRED) String username, @Schema(requiredMode = RequiredMode.REQUIRED) String email,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"parent", "therapist"}) String userType,
        @Schema(description = "therapists") String specialization,
        @Schema(description = "parents", minimum = "0", maximum = "20") Integer childrenCount,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String createdAt) {

    static OwnView of(User u) {
        return new OwnView(u.userId(), u.username(), u.email(), u.userType().wire(), u.specialization(),
                u.childrenCount(), UserView.time(u.createdAt()));
    }
}
