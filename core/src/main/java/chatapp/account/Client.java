package chatapp.account;

/**
 * Who is signing in, as the session list will show it: the raw User-Agent (summarised by
 * {@link Devices#summary}) and the client's IP address. Either may be null.
 */
public record Client(String userAgent, String address) {

    /** Nothing known (tests, tools). */
    public static final Client UNKNOWN = new Client(null, null);
}
