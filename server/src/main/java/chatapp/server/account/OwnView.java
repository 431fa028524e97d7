package chatapp.server.account;

import chatapp.account.User;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The caller's own view (API.md): the public view plus {@code email}. Never a password or a hash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OwnView(String userId, String username, String email, String userType, String specialization,
        Integer childrenCount, String createdAt) {

    static OwnView of(User u) {
        return new OwnView(u.userId(), u.username(), u.email(), u.userType().wire(), u.specialization(),
                u.childrenCount(), UserView.time(u.createdAt()));
    }
}
