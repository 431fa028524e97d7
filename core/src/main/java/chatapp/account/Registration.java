package chatapp.account;

/**
 * What a new user sends to sign up (API.md, {@code POST /auth/register}), as received: nothing
 * here is checked yet; {@link Accounts#register} validates every field.
 *
 * @param userType the wire value, {@code parent} or {@code therapist}
 */
public record Registration(String username, String email, String password, String userType,
        String specialization, Integer childrenCount) {

    @Override
    public String toString() {
        return "Registration[username=" + username + ", userType=" + userType + "]"; // never the password
    }
}
