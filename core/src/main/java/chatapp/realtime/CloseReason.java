package chatapp.realtime;

/**
 * Why the server closes a WebSocket on its own initiative for a rule of ChatApp (not of the
 * transport), with the close code of docs/protocol.md ("Limits and close codes"), from the range
 * RFC 6455 leaves to applications (4000-4999). API Gateway cannot send a close code: there the
 * connection first gets an {@code error} frame with {@link #errorCode()}, then is deleted.
 */
public enum CloseReason {

    /** The session the connection belongs to ended (logout, password change, ended from the list). */
    SESSION_ENDED(4401, "session ended", "session_ended"),
    /** The user opened more connections than allowed; this is their oldest. */
    TOO_MANY_CONNECTIONS(4429, "too many connections", "too_many_connections");

    private final int code;
    private final String reason;
    private final String errorCode;

    CloseReason(int code, String reason, String errorCode) {
        this.code = code;
        this.reason = reason;
        this.errorCode = errorCode;
    }

    /** The WebSocket close code. */
    public int code() {
        return code;
    }

    /** The close frame's reason text. */
    public String reason() {
        return reason;
    }

    /** The {@code code} of the {@code error} frame sent before closing where no close code can be sent. */
    public String errorCode() {
        return errorCode;
    }

    /** The {@code error} frame that announces this close. */
    public ServerFrame frame() {
        return new ServerFrame.Failure(errorCode, "the server closes this connection: " + reason, null);
    }
}
