package chatapp.audit;

/**
 * Who acts, as the request tells it: the account (null when none is known, e.g. a failed
 * sign-in or a signed media link), the session of its access token and the client's address.
 * Built by the transport (the server's controllers) and handed to {@link AuditLog}.
 *
 * @param actor a user id, {@link #OPERATOR} for the command line, or null
 * @param session the session id of the access token, or null
 * @param address the client's IP address as the server sees it, or null
 */
public record Who(String actor, String session, String address) {

    /** The actor of the command line's administrative commands. */
    public static final String OPERATOR = "operator";

    /** A request that names no account. */
    public static Who anonymous(String address) {
        return new Who(null, null, address);
    }

    /** The operator at the command line (no session, no address). */
    public static Who operator() {
        return new Who(OPERATOR, null, null);
    }
}
