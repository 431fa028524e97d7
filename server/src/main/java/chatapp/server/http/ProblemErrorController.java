package chatapp.server.http;

import chatapp.core.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (in filters, by the container) also answer with a problem
 * document instead of Boot's default error body. Not part of the API, so not in the OpenAPI document.
 */
@io.swagger.v3.oas.annotations.Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 500;
        return switch (code) {
            case 400 -> Problems.response(ErrorCode.BAD_REQUEST, "the request is malformed", List.of(), null);
            case 401 -> Problems.response(ErrorCode.UNAUTHORIZED, "authentication is required", List.of(), null);
            case 403 -> Problems.response(ErrorCode.FORBIDDEN, "not allowed", List.of(), null);
            case 404 -> Problems.response(ErrorCode.NOT_FOUND, "no such resource", List.of(), null);
            case 405 -> Problems.response(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed", List.of(), null);
            case 413 -> Problems.response(ErrorCode.TOO_LARGE, "the request is too large", List.of(), null);
            case 415 -> Problems.response(ErrorCode.UNSUPPORTED_MEDIA, "unsupported media type", List.of(), null);
            default -> ProblemHandler.internal();
        };
    }
}
