package chatapp.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A refusal that the caller must hear about: bad input, a missing resource, a conflict, a
 * limit. Carries the contract's {@link ErrorCode}, a human-readable {@code detail} that is
 * safe to show (never a secret, a hash or another user's data), and for validation the
 * offending fields. The HTTP and WebSocket layers turn it into a problem document or an
 * {@code error} frame; anything else that escapes is a bug (a 5xx).
 */
public class ChatAppException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldError> fieldErrors;
    private final Duration retryAfter;

    public ChatAppException(ErrorCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    public ChatAppException(ErrorCode code, String detail, List<FieldError> fieldErrors, Duration retryAfter) {
        super(detail, null, false, false); // no stack trace: these are answers, not bugs
        this.code = Objects.requireNonNull(code);
        this.fieldErrors = List.copyOf(fieldErrors);
        this.retryAfter = retryAfter;
    }

    /** 400 {@code validation_failed} naming one field. */
    public static ChatAppException invalid(String field, String message) {
        return new ChatAppException(ErrorCode.VALIDATION_FAILED, field + ": " + message,
                List.of(new FieldError(field, message)), null);
    }

    /** 400 {@code validation_failed} naming several fields (at least one). */
    public static ChatAppException invalid(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no field errors");
        }
        String detail = errors.size() == 1
                ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return new ChatAppException(ErrorCode.VALIDATION_FAILED, detail, errors, null);
    }

    /** 404 {@code not_found}; also what a stranger gets where existence must not leak. */
    public static ChatAppException notFound(String detail) {
        return new ChatAppException(ErrorCode.NOT_FOUND, detail);
    }

    /** 403 {@code forbidden}. */
    public static ChatAppException forbidden(String detail) {
        return new ChatAppException(ErrorCode.FORBIDDEN, detail);
    }

    /** 429 {@code rate_limited}, telling the client when to come back. */
    public static ChatAppException rateLimited(String detail, Duration retryAfter) {
        return new ChatAppException(ErrorCode.RATE_LIMITED, detail, List.of(), retryAfter);
    }

    public ErrorCode code() {
        return code;
    }

    /** Safe to show to the caller. */
    public String detail() {
        return getMessage();
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    /** When a rate-limited client may retry; null unless {@link ErrorCode#RATE_LIMITED}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
