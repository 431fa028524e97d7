package chatapp.account;

/**
 * What a user sends to change their account (API.md, {@code PATCH /users/me}), as received.
 * Null fields stay as they are. {@code email} and {@code userType} cannot be changed: sending
 * them is refused. A new {@code password} needs the {@code currentPassword}.
 */
public record ProfileChanges(String username, String specialization, Integer childrenCount, String password,
        String currentPassword, String email, String userType) {

    @Override
    public String toString() {
        return "ProfileChanges[username=" + username + "]"; // never a password
    }
}
