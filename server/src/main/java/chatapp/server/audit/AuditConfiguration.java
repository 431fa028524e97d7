package chatapp.server.audit;

import chatapp.audit.AuditLog;
import chatapp.audit.Who;
import chatapp.core.CursorCodec;
import chatapp.audit.AuditStore;
import java.time.Clock;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Wires the audit log (docs/audit.md) on the shape's store, its purge job, and the {@link Who} of a request. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration implements WebMvcConfigurer {

    static {
        // Who is the request's caller, not a query parameter: keep it out of the OpenAPI document.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Who.class);
    }

    @Bean
    AuditLog auditLog(AuditStore store, CursorCodec cursors, Clock clock, AuditProperties properties) {
        return new AuditLog(store, cursors, clock, properties.retention());
    }

    @Bean(destroyMethod = "close")
    AuditPurge auditPurge(AuditLog audit, AuditProperties properties) {
        return new AuditPurge(audit, properties.purgeEvery());
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new Auditing());
    }
}
