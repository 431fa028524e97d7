package chatapp.server.http;

import chatapp.core.ErrorCode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The refusals an endpoint answers besides those every endpoint may answer, for the OpenAPI
 * document ({@link OpenApiConfiguration}): each code becomes a response of its status with the
 * problem schema ({@code 429} with {@code Retry-After}). Every endpoint also documents 400 (query
 * string, Accept header, repeated or empty parameters), 401 when it needs a bearer token, 406
 * when it answers JSON, and 413 and 415 when it takes a body; those need not be listed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Refusals {

    /** The error codes (API.md, "Conventions") this endpoint may answer with. */
    ErrorCode[] value();
}
