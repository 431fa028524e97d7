package chatapp.server.http;

import chatapp.core.ErrorCode;
import chatapp.media.MediaFiles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests refused before any controller sees them, each with a problem document (API.md,
 * "Conventions"): bodies over the limit ({@link BodyLimitFilter}, 413 {@code too_large}) and
 * paths that Spring Security's firewall rejects (400 {@code bad_request}: encoded {@code /},
 * {@code \}, {@code %} or {@code .}, {@code ;} path parameters such as {@code ;jsessionid},
 * {@code //}, dot segments, control characters). Tomcat's own refusals are
 * {@link ProblemReportValve}'s. The filters and Spring Security write their problem documents
 * with the {@link ProblemWriter}.
 */
@Configuration(proxyBeanMethods = false)
class RequestRefusals {

    @Bean
    ProblemWriter problemWriter(JsonMapper json) {
        return new ProblemWriter(json);
    }

    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(RequestLimits limits, ProblemWriter problems) {
        FilterRegistrationBean<BodyLimitFilter> bean = new FilterRegistrationBean<>(new BodyLimitFilter(limits, problems));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }

    /** Wildcard or unknown Content-Types (415) and repeated query parameters (400), before anything reads them. */
    @Bean
    FilterRegistrationBean<RequestShapeFilter> requestShapeFilter(ProblemWriter problems) {
        FilterRegistrationBean<RequestShapeFilter> bean = new FilterRegistrationBean<>(
                new RequestShapeFilter(problems, MediaFiles.SIGNED_PATH));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return bean;
    }

    /**
     * Spring Security's firewall with every method let through: a method no endpoint has
     * ({@code QUERY}, {@code PROPFIND}) then reaches Spring MVC, whose answer is 405 with
     * {@code Allow} (RFC 9110 §15.5.6), instead of the firewall's 400. What else the firewall
     * refuses (encoded slashes, dot segments, ...) stays refused.
     */
    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return firewall;
    }

    /** Spring Security picks this up for its firewall's refusals instead of a bare 400. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, e) -> {
            if (!response.isCommitted()) {
                problems.write(response, ErrorCode.BAD_REQUEST,
                        "the request path is not accepted: " + reason(e.getMessage()));
            }
        };
    }

    /**
     * The firewall's reason, without the path it quotes (which may hold anything), e.g.
     * "the URL contained a potentially malicious String \"%2F\"" -> that phrase.
     */
    static String reason(String message) {
        if (message == null) {
            return "it is malformed";
        }
        String m = message.replace("The request was rejected because ", "");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
