package chatapp.aws;

import chatapp.account.SessionStore;
import chatapp.account.UserStore;
import chatapp.audit.AuditStore;
import chatapp.aws.media.DynamoMediaStore;
import chatapp.aws.media.S3MediaFiles;
import chatapp.aws.media.S3Settings;
import chatapp.chat.ChatStore;
import chatapp.core.Lazy;
import chatapp.core.RateLimitStore;
import chatapp.core.Shape;
import chatapp.media.MediaFiles;
import chatapp.media.MediaStore;
import chatapp.realtime.ConnectionStore;
import chatapp.realtime.Connections;
import chatapp.realtime.ServerFrame;
import chatapp.realtime.TicketStore;
import java.net.URI;
import java.util.function.Function;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS shape: every store on DynamoDB, photos and videos in S3, WebSockets held by API
 * Gateway. One DynamoDB client (and one S3 client, presigner and Management API client) for
 * everything, each made on first use: a Lambda cold start pays only for what its first
 * invocation needs. Each adapter method makes a new adapter over those clients; callers keep
 * what they take.
 */
public final class AwsShape implements Shape {

    private final DynamoSettings dynamo;
    private final S3Settings s3;
    private final URI managementEndpoint;
    private final Lazy<DynamoDbClient> dynamoClient;
    private final Lazy<S3Client> s3Client;
    private final Lazy<S3Presigner> s3Presigner;
    private final Lazy<ApiGatewayManagementApiClient> managementApi;
    private final java.time.Duration messageRetention;
    private final Lazy<software.amazon.awssdk.services.scheduler.SchedulerClient> scheduler;

    /**
     * @param dynamo the tables ({@code CHATAPP_TABLE_PREFIX}, {@code CHATAPP_DYNAMODB_ENDPOINT})
     * @param s3 the media bucket; null when media stay on disk ({@code CHATAPP_MEDIA=disk})
     * @param managementEndpoint API Gateway's Management API ({@code CHATAPP_APIGATEWAY_ENDPOINT});
     *     null when this process posts to no WebSocket
     */
    public AwsShape(DynamoSettings dynamo, S3Settings s3, URI managementEndpoint) {
        this(dynamo, s3, managementEndpoint, null);
    }

    /** @param messageRetention how long messages are kept (TTL; docs/audit.md "Retention"); null for ever */
    public AwsShape(DynamoSettings dynamo, S3Settings s3, URI managementEndpoint, java.time.Duration messageRetention) {
        this.messageRetention = messageRetention;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.managementEndpoint = managementEndpoint;
        this.dynamoClient = Lazy.of(dynamo::client);
        this.s3Client = Lazy.of(() -> s3Settings().client());
        this.s3Presigner = Lazy.of(() -> s3Settings().presigner());
        this.managementApi = Lazy.of(() -> ApiGatewayFanOut.client(managementEndpoint()));
        // the same region, credentials and (development, tests: moto) endpoint as DynamoDB
        this.scheduler = Lazy.of(() -> {
            var builder = software.amazon.awssdk.services.scheduler.SchedulerClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .region(dynamo.region() != null ? dynamo.region()
                            : new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion())
                    .credentialsProvider(dynamo.credentials() != null ? dynamo.credentials()
                            : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build());
            if (dynamo.endpoint() != null) {
                builder.endpointOverride(dynamo.endpoint());
            }
            return builder.build();
        });
    }

    /** The one DynamoDB client, made on first use. */
    public DynamoDbClient dynamo() {
        return dynamoClient.get();
    }

    @Override
    public String store() {
        return "dynamodb";
    }

    @Override
    public UserStore users() {
        return new DynamoUserStore(dynamo(), dynamo);
    }

    @Override
    public SessionStore sessions() {
        return new DynamoSessionStore(dynamo(), dynamo);
    }

    @Override
    public ChatStore chats() {
        return new DynamoChatStore(dynamo(), dynamo, messageRetention);
    }

    @Override
    public ConnectionStore connections() {
        return new DynamoConnectionStore(dynamo(), dynamo);
    }

    @Override
    public TicketStore tickets() {
        return new DynamoTicketStore(dynamo(), dynamo);
    }

    @Override
    public chatapp.userdata.ExportStore exports() {
        return new DynamoExportStore(dynamo(), dynamo);
    }

    @Override
    public chatapp.notification.NotificationStore notifications() {
        return new DynamoNotificationStore(dynamo(), dynamo);
    }

    @Override
    public MediaStore media() {
        return new DynamoMediaStore(dynamo(), dynamo, messageRetention, java.time.Clock.systemUTC());
    }

    @Override
    public AuditStore audit() {
        return new DynamoAuditStore(dynamo(), dynamo);
    }

    /**
     * Photos and videos in the S3 bucket, with presigned URLs.
     *
     * @throws IllegalStateException if this shape was made without S3 settings
     */
    public MediaFiles mediaFiles() {
        return new S3MediaFiles(s3Client.get(), s3Presigner.get(), s3Settings().bucket(),
                S3MediaFiles.DEFAULT_MULTIPART_THRESHOLD, S3MediaFiles.DEFAULT_PART_SIZE);
    }

    /** The table definitions on these settings: {@code create-tables} and the readiness check. */
    public Tables tables() {
        return new Tables(dynamo(), dynamo);
    }

    /** Rate-limit buckets shared by every node, in the {@code auth} table. */
    @Override
    public RateLimitStore rateLimits() {
        return new DynamoRateLimitStore(dynamo(), dynamo);
    }

    /** The Management API client, made on first use; it posts frames to and closes API Gateway's connections. */
    public ApiGatewayManagementApiClient managementApi() {
        return managementApi.get();
    }

    /**
     * The fan-out through API Gateway's Management API (its client made on first post).
     *
     * @param encoder the JSON text of a frame (API.md)
     * @throws IllegalStateException if this shape was made without a Management API endpoint
     */
    public ApiGatewayFanOut fanOut(Connections connections, Function<ServerFrame, String> encoder) {
        return new ApiGatewayFanOut(connections, managementEndpoint(), managementApi, encoder);
    }

    /** Readiness: every table exists and is active ({@link Tables#check()}). */
    /**
     * Reminders kept in the auth table, with no one to run them at their time: a queued reminder
     * waits in its item and is dropped by TTL. A deployment that sends unread-message emails uses
     * {@link #reminders(String, String)}.
     */
    @Override
    public chatapp.notification.ReminderQueue reminders() {
        return new DynamoReminderQueue(dynamo(), dynamo, r -> { });
    }

    /**
     * Reminders kept in the auth table whose time EventBridge Scheduler keeps: each queued reminder
     * becomes a one-time schedule invoking the reminder Lambda (docs/notifications.md, "Email").
     *
     * @param functionArn the reminder Lambda ({@code CHATAPP_EMAIL_REMINDER_FUNCTION_ARN})
     * @param roleArn the role Scheduler invokes it with ({@code CHATAPP_EMAIL_REMINDER_ROLE_ARN})
     */
    public chatapp.notification.ReminderQueue reminders(String functionArn, String roleArn) {
        return new DynamoReminderQueue(dynamo(), dynamo, new EventBridgeReminders(scheduler, functionArn, roleArn));
    }

    @Override
    public void check() {
        tables().check();
    }

    @Override
    public void close() {
        managementApi.closeIfMade();
        scheduler.closeIfMade();
        s3Presigner.closeIfMade();
        s3Client.closeIfMade();
        dynamoClient.closeIfMade();
    }

    private S3Settings s3Settings() {
        if (s3 == null) {
            throw new IllegalStateException("no S3 bucket is configured (CHATAPP_MEDIA=s3 needs CHATAPP_S3_BUCKET)");
        }
        return s3;
    }

    private URI managementEndpoint() {
        if (managementEndpoint == null) {
            throw new IllegalStateException("CHATAPP_APIGATEWAY_ENDPOINT is not set");
        }
        return managementEndpoint;
    }
}
