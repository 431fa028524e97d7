package chatapp.server.shape;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.audit.AuditStore;
import chatapp.aws.AwsShape;
import chatapp.aws.DynamoSettings;
import chatapp.aws.media.S3Settings;
import chatapp.chat.ChatStore;
import chatapp.core.RateLimitStore;
import chatapp.core.Shape;
import chatapp.embedded.DataDirectoryException;
import chatapp.embedded.EmbeddedShape;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.realtime.Frames;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Connections;
import chatapp.realtime.FanOut;
import chatapp.realtime.TicketStore;
import chatapp.server.ChatAppProperties;
import chatapp.server.OperatorError;
import chatapp.server.security.SigningKeys;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Which adapters serve the ports: the one place that reads {@code chatapp.store} and
 * {@code chatapp.media} and names an adapter. {@code sqlite} (the default) is the one-machine
 * shape ({@link EmbeddedShape}), {@code dynamodb} the AWS shape ({@link AwsShape}); each port is
 * a bean taken from the shape, so the features never know which one runs. The store is also
 * readiness's health indicator {@code store}: a node whose store does not answer is not ready.
 * Settings no shape can serve are refused at start ({@link ChatAppProperties#requirePossibleShape()}).
 */
@Configuration(proxyBeanMethods = false)
class ShapeConfiguration {

    @Bean
    UserStore userStore(Shape shape) {
        return shape.users();
    }

    @Bean
    SessionStore sessionStore(Shape shape) {
        return shape.sessions();
    }

    @Bean
    ChatStore chatStore(Shape shape) {
        return shape.chats();
    }

    @Bean
    ConnectionStore connectionStore(Shape shape) {
        return shape.connections();
    }

    @Bean
    TicketStore ticketStore(Shape shape) {
        return shape.tickets();
    }

    /** Rate-limit buckets: in SQLite on one machine (they survive a restart), in DynamoDB shared by every node. */
    @Bean
    RateLimitStore rateLimitStore(Shape shape) {
        return shape.rateLimits();
    }

    @Bean
    MediaStore mediaStore(Shape shape) {
        return shape.media();
    }

    /** The audit log's entries (docs/audit.md). */
    @Bean
    AuditStore auditStore(Shape shape) {
        return shape.audit();
    }

    @Bean
    chatapp.userdata.ExportStore exportStore(Shape shape) {
        return shape.exports();
    }

    /**
     * Unread-message reminders waiting for their time (docs/notifications.md, "Email"): SQLite (the
     * server polls), or DynamoDB whose reminders EventBridge Scheduler runs through the reminder
     * Lambda when {@code CHATAPP_EMAIL_REMINDER_FUNCTION_ARN} and {@code ..._ROLE_ARN} are set.
     */
    @Bean
    chatapp.notification.ReminderQueue reminderQueue(Shape shape,
            @org.springframework.beans.factory.annotation.Value("${chatapp.email.reminder-function-arn:}") String function,
            @org.springframework.beans.factory.annotation.Value("${chatapp.email.reminder-role-arn:}") String role) {
        if (shape instanceof AwsShape aws && !function.isBlank() && !role.isBlank()) {
            return aws.reminders(function.strip(), role.strip());
        }
        return shape.reminders();
    }

    /** Notification preferences, push subscriptions, away notices (docs/notifications.md). */
    @Bean
    chatapp.notification.NotificationStore notificationStore(Shape shape) {
        return shape.notifications();
    }

    @Bean
    HealthIndicator store(Shape shape) {
        return () -> {
            try {
                shape.check();
                return Health.up().withDetail("store", shape.store()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("store", shape.store())
                        .withDetail("error", String.valueOf(e.getMessage())).build();
            }
        };
    }

    /**
     * The shape {@code chatapp.store} names, opened here: {@link EmbeddedShape} (SQLite under the
     * data directory) or {@link AwsShape} (DynamoDB; S3 when {@code chatapp.media=s3}). A choice
     * made in the bean, not by a condition, so that the bean definitions fixed at build time by
     * Spring's AOT processing serve every shape (docs/decisions/0058-spring-aot.md).
     * {@code chatapp.sqlite.group-commit=false}: one fsync per write, for benchmarks only.
     */
    @Bean(destroyMethod = "close")
    Shape shape(ChatAppProperties properties, chatapp.server.RetentionProperties retention, Clock clock,
            @Value("${chatapp.sqlite.group-commit:true}") boolean groupCommit, ObjectProvider<ShapeOpening> opening) {
        properties.requirePossibleShape();
        if (properties.store() == ChatAppProperties.Store.SQLITE) {
            // opened while Spring built the rest when serve started it (ShapeOpening)
            try {
                ShapeOpening early = opening.getIfAvailable();
                EmbeddedShape opened = early == null ? null : early.take(properties.dataDir(), groupCommit, clock);
                return opened != null ? opened : EmbeddedShape.open(properties.dataDir(), groupCommit, clock);
            } catch (DataDirectoryException e) {
                // a directory another ChatApp holds, or one that cannot be written: the operator's to fix
                throw new OperatorError(e.getMessage());
            }
        }
        DynamoSettings dynamo = new DynamoSettings(null, properties.dynamodbEndpoint(), properties.tablePrefix(), null);
        S3Settings s3 = properties.media() == ChatAppProperties.Media.S3
                ? new S3Settings(null, properties.s3Endpoint(), properties.s3Bucket(), null)
                : null;
        return new AwsShape(dynamo, s3, properties.apigatewayEndpoint(), retention.messages());
    }

    /**
     * Photos and videos: under the data directory, whichever the store, their signed URLs served
     * by this server ({@code chatapp.media=disk}, the default); or in S3 with presigned links.
     */
    @Bean
    MediaFiles mediaFiles(ChatAppProperties properties, Shape shape, SigningKeys keys, Clock clock) {
        if (properties.media() == ChatAppProperties.Media.S3) {
            return ((AwsShape) shape).mediaFiles();
        }
        return EmbeddedShape.mediaFiles(properties.dataDir(), keys.mediaUrlKey(), clock);
    }

    /**
     * The conversations the retention job walks (docs/audit.md, "Retention"): one machine only;
     * none (null) in the AWS shape, where DynamoDB's TTL does the work.
     */
    @Bean
    chatapp.server.account.RetentionSweep.Conversations retentionConversations(Shape shape) {
        return shape instanceof EmbeddedShape embedded ? embedded.chatStore()::conversationIds : null;
    }

    /**
     * Where events reach the sockets: API Gateway's {@code PostToConnection} when
     * {@code chatapp.realtime=apigateway} (API Gateway holds the sockets; events of REST sends and
     * reads reach them so), else the built-in gateway's queues on this node.
     */
    @Bean
    @Primary
    FanOut fanOut(ChatAppProperties properties, Shape shape, Connections connections, Frames frames,
            @Qualifier("builtinFanOut") FanOut builtin) {
        if (properties.realtime() != ChatAppProperties.Realtime.APIGATEWAY) {
            return builtin;
        }
        if (properties.apigatewayEndpoint() == null) {
            throw new IllegalStateException("chatapp.realtime=apigateway needs CHATAPP_APIGATEWAY_ENDPOINT (the "
                    + "WebSocket API's Management API endpoint, https://{api-id}.execute-api.{region}.amazonaws.com/{stage})");
        }
        return ((AwsShape) shape).fanOut(connections, frames::encode);
    }
}
