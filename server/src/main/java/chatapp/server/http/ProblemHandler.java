package chatapp.server.http;

import chatapp.core.ChatAppException;
import chatapp.core.ErrorCode;
import chatapp.core.FieldError;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place where exceptions become answers (API.md, "Conventions"): refusals from core
 * keep their code; Spring MVC's own errors get the contract's codes; anything else is a bug,
 * logged with its stack trace and answered 500 without one.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    /** Jackson's message for {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}. */
    private static final java.util.regex.Pattern DUPLICATE =
            java.util.regex.Pattern.compile("^Duplicate (?:Object property|field) \"(.*)\"");

    @ExceptionHandler(ChatAppException.class)
    ResponseEntity<ProblemDetail> refusal(ChatAppException e) {
        return Problems.response(e);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.response(ChatAppException.invalid(e.getName(), "has the wrong type or format"));
    }

    /** Tomcat decodes the query string lazily and throws on a bad %-escape: the client's mistake. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badQueryString(org.apache.tomcat.util.http.InvalidParameterException e) {
        return Problems.response(ErrorCode.BAD_REQUEST,
                "the query string cannot be decoded (a % must be followed by two hex digits)", List.of(), null);
    }

    /**
     * A multipart body that cannot be parsed (no or empty boundary, garbage, a part cut short):
     * the client's mistake, 400 without a stack trace. Too large is {@link MaxUploadSizeExceededException}'s 413.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e) {
        log.debug("unparseable multipart body: {}", e.toString());
        return Problems.response(ErrorCode.BAD_REQUEST, "the multipart/form-data body cannot be parsed: it needs a "
                + "boundary parameter in Content-Type and complete parts, each ending with the boundary", List.of(), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> bug(Exception e) {
        log.error("unhandled error", e);
        return internal();
    }

    /** 500: a bug. The detail says nothing about the cause; the log has it. */
    static ResponseEntity<ProblemDetail> internal() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(500),
                "an internal error occurred; it has been logged");
        problem.setProperty("code", "internal_error");
        return ResponseEntity.status(500).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /**
     * A body that cannot be read: over the size limit (413, {@link BodyLimitFilter}), not strict UTF-8
     * (400 {@code bad_request}, {@link BodyLimitFilter}), a key given twice (400 {@code validation_failed}
     * naming it, {@link JsonConfiguration}), a JSON value of
     * the wrong type for a field (400 {@code validation_failed} naming it: no coercion of scalars,
     * {@link JsonConfiguration}), or not JSON at all (400 {@code bad_request}).
     */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (request.getAttribute(BodyLimitFilter.EXCEEDED, WebRequest.SCOPE_REQUEST) instanceof Long limit) {
            // No Connection header of ours: Tomcat adds "close" to every 413 and sends the answer
            // chunked, so a client still sending knows the answer is complete without waiting for the
            // connection to end (which comes only after Tomcat has swallowed the rest, up to its limit).
            return problem(Problems.of(ErrorCode.TOO_LARGE, "the request body is larger than "
                    + BodyLimitFilter.describe(limit) + " (chatapp.limits.json-body)", List.of()), headers);
        }
        if (request.getAttribute(BodyLimitFilter.MALFORMED, WebRequest.SCOPE_REQUEST) instanceof Long offset) {
            return problem(Problems.of(ErrorCode.BAD_REQUEST, "the request body is not valid UTF-8 (at byte " + offset
                    + ": an overlong form, an encoded surrogate or a broken sequence); send UTF-8 JSON", List.of()),
                    headers);
        }
        StreamReadException read = cause(ex, StreamReadException.class);
        java.util.regex.Matcher duplicate = read == null || read.getOriginalMessage() == null ? null
                : DUPLICATE.matcher(read.getOriginalMessage());
        if (duplicate != null && duplicate.find()) {
            String name = duplicate.group(1);
            String parent = path(read); // the enclosing object's path, or already ending in the name
            String field = parent.isEmpty() ? name
                    : parent.equals(name) || parent.endsWith("." + name) ? parent : parent + "." + name;
            FieldError error = new FieldError(field, "is given more than once in the same object");
            return problem(Problems.of(ErrorCode.VALIDATION_FAILED, field + ": " + error.message(), List.of(error)),
                    headers);
        }
        MismatchedInputException mismatch = cause(ex, MismatchedInputException.class);
        String field = mismatch == null ? "" : path(mismatch);
        if (!field.isEmpty()) {
            FieldError error = new FieldError(field, "must be " + expected(mismatch.getTargetType()));
            return problem(Problems.of(ErrorCode.VALIDATION_FAILED, field + ": " + error.message(), List.of(error)),
                    headers);
        }
        InputCoercionException outOfRange = cause(ex, InputCoercionException.class);
        if (outOfRange != null && !path(outOfRange).isEmpty()) {
            FieldError error = new FieldError(path(outOfRange), "is out of range for " + expected(outOfRange.getTargetType()));
            return problem(Problems.of(ErrorCode.VALIDATION_FAILED, error.field() + ": " + error.message(),
                    List.of(error)), headers);
        }
        if (mismatch != null) {
            return problem(Problems.of(ErrorCode.BAD_REQUEST, "the request body must be a JSON object", List.of()),
                    headers);
        }
        return handleExceptionInternal(ex, null, headers, status, request);
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem, HttpHeaders headers) {
        return ResponseEntity.status(problem.getStatus()).headers(headers)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** {@code content.value}, {@code items[2].id}: the field as API.md names it. */
    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ErrorCode code = codeFor(ex, statusCode);
        String detail = detailFor(ex, code);
        List<FieldError> errors = fieldErrors(ex);
        ProblemDetail problem = Problems.of(code, detail, errors);
        problem.setStatus(statusCode.value());
        return ResponseEntity.status(statusCode).headers(headers)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ErrorCode codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof MaxUploadSizeExceededException) {
            return ErrorCode.TOO_LARGE;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return ErrorCode.UNSUPPORTED_MEDIA;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof NoResourceFoundException) {
            return ErrorCode.NOT_FOUND;
        }
        if (ex instanceof HttpMessageNotReadableException) {
            return ErrorCode.BAD_REQUEST;
        }
        return switch (status.value()) {
            case 400 -> ErrorCode.VALIDATION_FAILED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA;
            default -> status.is4xxClientError() ? ErrorCode.BAD_REQUEST : ErrorCode.UNAVAILABLE;
        };
    }

    private static String detailFor(Exception ex, ErrorCode code) {
        return switch (ex) {
            case HttpMessageNotReadableException e -> "the request body is not valid JSON of the expected shape";
            case MissingServletRequestParameterException e -> "query parameter '" + e.getParameterName() + "' is required";
            case HttpRequestMethodNotSupportedException e -> "method " + e.getMethod() + " is not allowed here";
            case HttpMediaTypeNotSupportedException e -> "content type " + (e.getContentType() == null
                    ? "(none or unreadable)" : e.getContentType()) + " is not supported here; send "
                    + (e.getSupportedMediaTypes().isEmpty() ? "application/json"
                            : e.getSupportedMediaTypes().stream().map(Object::toString)
                                    .collect(java.util.stream.Collectors.joining(" or ")));
            // RequestShapeFilter refuses an unparseable Accept (400) and, on /api/, one without JSON;
            // what is left is another resource (/v3/api-docs.yaml, ...): name what it answers
            case HttpMediaTypeNotAcceptableException e -> e.getSupportedMediaTypes().isEmpty()
                    ? "the Accept header allows nothing this resource answers"
                    : "this resource answers " + e.getSupportedMediaTypes().stream().map(Object::toString)
                            .collect(java.util.stream.Collectors.joining(" or "))
                            + " (errors as application/problem+json); the Accept header allows none of them";
            case NoResourceFoundException e -> "no such resource";
            case MaxUploadSizeExceededException e -> "the upload is too large";
            case MethodArgumentNotValidException e -> fieldErrors(e).size() + " field(s) are invalid";
            default -> code.code().replace('_', ' ');
        };
    }

    private static List<FieldError> fieldErrors(Exception ex) {
        if (ex instanceof BindException b) {
            return b.getFieldErrors().stream()
                    .map(f -> new FieldError(f.getField(), String.valueOf(f.getDefaultMessage())))
                    .toList();
        }
        if (ex instanceof MissingServletRequestParameterException m) {
            return List.of(new FieldError(m.getParameterName(), "is required"));
        }
        if (ex instanceof HandlerMethodValidationException h) {
            return h.getParameterValidationResults().stream()
                    .flatMap(r -> r.getResolvableErrors().stream()
                            .map(err -> new FieldError(String.valueOf(r.getMethodParameter().getParameterName()),
                                    String.valueOf(err.getDefaultMessage()))))
                    .toList();
        }
        return List.of();
    }
}
