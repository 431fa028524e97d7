package chatapp.core;

/**
 * The stable machine-readable error codes of the public contract (API.md, "Conventions"), each
 * with the HTTP status API.md gives it. Clients switch on {@link #code()}; never rename one.
 */
public enum ErrorCode {
    VALIDATION_FAILED("validation_failed", 400),
    BAD_CURSOR("bad_cursor", 400),
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    INVALID_CREDENTIALS("invalid_credentials", 401),
    INVALID_TOKEN("invalid_token", 401),
    FORBIDDEN("forbidden", 403),
    /** An account imported from the prototype whose password was not a hash: it must reset it. */
    PASSWORD_RESET_REQUIRED("password_reset_required", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    CONFLICT("conflict", 409),
    EMAIL_TAKEN("email_taken", 409),
    USERNAME_TAKEN("username_taken", 409),
    TOO_LARGE("too_large", 413),
    UNSUPPORTED_MEDIA("unsupported_media", 415),
    RATE_LIMITED("rate_limited", 429),
    UNAVAILABLE("unavailable", 503);

    private final String code;
    private final int status;

    ErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The wire value, e.g. {@code validation_failed}. */
    public String code() {
        return code;
    }

    /** The HTTP status API.md assigns to this code. */
    public int status() {
        return status;
    }
}
