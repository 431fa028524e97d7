package chatapp.server.http;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * RFC 9457 problem documents as API.md shapes them: {@code type, title, status, detail, code}
 * and, for validation, {@code errors: [{field, message}]}. Every error answer of the server,
 * from controllers, filters and the WebSocket handshake, is made here.
 */
public final class Problems {

    private Problems() {
    }

    /** The problem document for {@code code}. */
    public static ProblemDetail of(ErrorCode code, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
        problem.setType(URI.create("/problems/" + code.code()));
        problem.setProperty("code", code.code());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** The response for a refusal from core, with {@code Retry-After} (seconds) when rate limited. */
    public static ResponseEntity<ProblemDetail> response(ChatAppException e) {
        return response(e.code(), e.detail(), e.fieldErrors(),
                e.retryAfter() == null ? null : Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
    }

    /** A problem response; {@code retryAfterSeconds} may be null. */
    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail, List<FieldError> errors,
            Long retryAfterSeconds) {
        var builder = ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfterSeconds != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return builder.body(of(code, detail, errors));
    }
}
