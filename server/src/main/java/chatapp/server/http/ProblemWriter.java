package chatapp.server.http;

import chatapp.core.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem documents ({@link Problems}) from outside Spring MVC: the filters that refuse a
 * request before any controller sees it, and Spring Security's refusals. Inside MVC,
 * {@link ProblemHandler} answers instead.
 */
public final class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** Answers {@code code}'s status with its problem document. */
    public void write(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        write(response, Problems.of(code, detail, List.of()));
    }

    /** Answers {@code problem} with its own status. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
