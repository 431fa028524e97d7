package chatapp.server.operations;

import chatapp.server.http.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Running ChatApp (docs/operations.md): request ids in the logs, the REST meters, and the
 * scrape token in front of {@code /actuator/prometheus} ({@code CHATAPP_METRICS_TOKEN},
 * docs/decisions/NEXT-metrics.md).
 */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    @Bean
    FilterRegistrationBean<RequestIds> requestIds() {
        FilterRegistrationBean<RequestIds> bean = new FilterRegistrationBean<>(new RequestIds());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return bean;
    }

    @Bean
    FilterRegistrationBean<MetricsTokenFilter> metricsToken(@Value("${chatapp.metrics.token:}") String token,
            ProblemWriter problems) {
        FilterRegistrationBean<MetricsTokenFilter> bean = new FilterRegistrationBean<>(
                new MetricsTokenFilter(token, problems));
        bean.addUrlPatterns(MetricsTokenFilter.PATH, MetricsTokenFilter.PATH + "/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return bean;
    }

    @Bean
    FilterRegistrationBean<RequestMeters> requestMeters(MeterRegistry registry) {
        FilterRegistrationBean<RequestMeters> bean = new FilterRegistrationBean<>(new RequestMeters(registry));
        bean.addUrlPatterns("/api/*");
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return bean;
    }
}
