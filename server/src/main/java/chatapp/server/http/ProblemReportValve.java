package chatapp.server.http;

import chatapp.core.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error answers as problem documents. Tomcat refuses some requests before any
 * filter or servlet sees them: an encoded {@code /} or {@code \} or a NUL in the path, a path
 * that climbs above the root, a bad request line, headers over the size limit. Its default
 * answer is an HTML page; API.md wants {@code application/problem+json} for every error.
 * Replaces Tomcat's {@link ErrorReportValve} (and Boot's copy of it) on the host.
 */
final class ProblemReportValve extends ErrorReportValve {

    private final ObjectProvider<JsonMapper> json;

    ProblemReportValve(ObjectProvider<JsonMapper> json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String detail = detail(status);
        if (status == 505) {
            // Tomcat's answer to "HTTP/9.9": the client's mistake, and API.md keeps 5xx for bugs.
            status = 400;
            response.setStatus(status);
            detail = "the HTTP version in the request line is not supported: send HTTP/1.1";
        }
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.UNAVAILABLE;
        };
        var problem = Problems.of(code, detail, List.of());
        problem.setStatus(status);
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.getObject().writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was taken over: nothing more to say
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed: the server does not accept its request line, path or headers "
                    + "(an encoded '/' or '\\', a NUL, a path above the root, a bad character, or headers over 8 KiB)";
            case 413 -> "the request is too large";
            case 414 -> "the request line is too long";
            case 431 -> "the request headers are too large";
            default -> status < 500 ? "the request cannot be served" : "the server cannot serve the request now";
        };
    }

    /** Puts the valve on Tomcat's host in place of its default one. */
    @Configuration(proxyBeanMethods = false)
    static class Installation {

        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE) // after Boot's own customizer, which adds an ErrorReportValve
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve(ObjectProvider<JsonMapper> json) {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (var valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    // StandardHost adds its own report valve at start unless one of this class is there.
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemReportValve(json));
                }
            });
        }
    }
}
