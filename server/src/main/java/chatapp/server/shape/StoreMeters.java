package chatapp.server.shape;

import chatapp.core.Shape;
import chatapp.embedded.EmbeddedShape;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one-machine store's meters (docs/operations.md, "Metrics"): each group commit's time
 * (the write latency every queued write shares, fsync included) and how many writes it held.
 */
@Configuration(proxyBeanMethods = false)
class StoreMeters {

    /**
     * Registered on the writer's seam; the bean itself only marks that it is done. None (null) in
     * the AWS shape: a choice made here rather than by a condition, for Spring's AOT processing
     * (docs/decisions/0058-spring-aot.md).
     */
    @Bean
    Object groupCommitMeters(Shape store, MeterRegistry registry) {
        if (!(store instanceof EmbeddedShape shape)) {
            return null;
        }
        Timer commits = Timer.builder("chatapp.store.commit").tag("store", "sqlite")
                .description("SQLite group commits: the transaction of a group of writes, fsync included")
                .register(registry);
        DistributionSummary writes = DistributionSummary.builder("chatapp.store.commit.writes").tag("store", "sqlite")
                .description("writes per group commit").register(registry);
        shape.observeCommits(c -> {
            commits.record(c.nanos(), TimeUnit.NANOSECONDS);
            writes.record(c.writes());
        });
        return commits;
    }
}
