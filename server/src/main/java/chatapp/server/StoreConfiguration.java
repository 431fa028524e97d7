package chatapp.server;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.core.RateLimitStore;
import chatapp.aws.DynamoRateLimitStore;
import chatapp.aws.DynamoSessionStore;
import chatapp.aws.DynamoSettings;
import chatapp.aws.DynamoUserStore;
import chatapp.aws.Tables;
import chatapp.embedded.SqliteDatabase;
import chatapp.embedded.SqliteRateLimitStore;
import chatapp.embedded.SqliteSessionStore;
import chatapp.embedded.SqliteUserStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Chooses the store by {@code chatapp.store} and exposes it to readiness as the health
 * indicator {@code store}: a node whose store does not answer is not ready.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "sqlite", matchIfMissing = true)
    static class Sqlite {
        /** {@code chatapp.sqlite.group-commit=false}: one fsync per write, for benchmarks only. */
        @Bean(destroyMethod = "close")
        SqliteDatabase sqliteDatabase(ChatAppProperties properties,
                @Value("${chatapp.sqlite.group-commit:true}") boolean groupCommit) {
            return groupCommit ? SqliteDatabase.open(properties.dataDir()) : SqliteDatabase.open(properties.dataDir(), 1);
        }

        @Bean
        UserStore userStore(SqliteDatabase database) {
            return new SqliteUserStore(database);
        }

        @Bean
        SessionStore sessionStore(SqliteDatabase database) {
            return new SqliteSessionStore(database);
        }

        /** Rate-limit buckets, kept across restarts. */
        @Bean
        RateLimitStore rateLimitBuckets(SqliteDatabase database) {
            return new SqliteRateLimitStore(database);
        }

        @Bean
        HealthIndicator store(SqliteDatabase database) {
            return () -> probe(database::check, "sqlite", database.dataDir().toString());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chatapp.store", havingValue = "dynamodb")
    static class Dynamo {
        @Bean
        DynamoSettings dynamoSettings(ChatAppProperties properties) {
            return new DynamoSettings(null, properties.dynamodbEndpoint(), properties.tablePrefix(), null);
        }

        @Bean(destroyMethod = "close")
        DynamoDbClient dynamoDbClient(DynamoSettings settings) {
            return settings.client();
        }

        @Bean
        Tables tables(DynamoDbClient client, DynamoSettings settings) {
            return new Tables(client, settings);
        }

        @Bean
        UserStore userStore(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoUserStore(client, settings);
        }

        @Bean
        SessionStore sessionStore(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoSessionStore(client, settings);
        }

        /** Rate-limit buckets shared by every node. */
        @Bean
        RateLimitStore rateLimitBuckets(DynamoDbClient client, DynamoSettings settings) {
            return new DynamoRateLimitStore(client, settings);
        }

        @Bean
        HealthIndicator store(Tables tables, DynamoSettings settings) {
            return () -> probe(tables::check, "dynamodb", settings.tablePrefix() + "*");
        }
    }

    private static Health probe(Runnable check, String kind, String where) {
        try {
            check.run();
            return Health.up().withDetail("store", kind).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("store", kind).withDetail("error", String.valueOf(e.getMessage())).build();
        }
    }
}
