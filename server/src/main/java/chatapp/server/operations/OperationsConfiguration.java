package chatapp.server.operations;

import chatapp.server.ChatAppProperties;
import chatapp.server.http.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Running ChatApp (docs/operations.md): request ids in the logs, the REST meters, and the
 * scrape token in front of {@code /actuator/prometheus} ({@code CHATAPP_METRICS_TOKEN},
 * docs/decisions/0037-metrics.md).
 */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    /**
     * {@code CHATAPP_BACKUP_DIR} set: backups on a schedule ({@link ScheduledBackup}); unset: none
     * (null). Decided here, not by a condition, for Spring's AOT processing
     * (docs/decisions/0058-spring-aot.md).
     */
    @Bean(destroyMethod = "close")
    ScheduledBackup scheduledBackup(ChatAppProperties properties, @Value("${chatapp.backup.dir:}") String dir,
            @Value("${chatapp.backup.every:24h}") Duration every, @Value("${chatapp.backup.keep:7}") int keep,
            Clock clock) {
        if (dir.isEmpty()) {
            return null;
        }
        return new ScheduledBackup(properties, Path.of(dir), every, keep, clock);
    }

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
