package chatapp.account;

/**
 * What a user sends to change their profile (API.md, {@code PATCH /users/me/profile}), as
 * received. A null field stays as it is; an empty string clears it. {@code bio},
 * {@code credentials} and {@code practice} are for therapists only.
 */
public record ProfileEdit(String displayName, String bio, String credentials, String practice) {

    @Override
    public String toString() {
        return "ProfileEdit[]"; // nothing a user typed goes to a log
    }
}
