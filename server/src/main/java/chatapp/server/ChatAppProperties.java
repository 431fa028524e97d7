package chatapp.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * ChatApp's configuration: Spring properties under {@code chatapp.*}, each settable by its
 * environment variable ({@code CHATAPP_DATA_DIR} for {@code chatapp.data-dir}, ...). The names
 * are fixed (docs/architecture.md, "Configuration") because scripts and deployments rely on them.
 * Defaults give the one-machine shape with data under {@code ./data}.
 *
 * @param port HTTP port ({@code CHATAPP_PORT})
 * @param dataDir SQLite file, media and generated keys ({@code CHATAPP_DATA_DIR})
 * @param store {@code sqlite} or {@code dynamodb} ({@code CHATAPP_STORE})
 * @param media {@code disk} or {@code s3} ({@code CHATAPP_MEDIA})
 * @param realtime {@code builtin} or {@code apigateway} ({@code CHATAPP_REALTIME})
 * @param tablePrefix prefix of every DynamoDB table name ({@code CHATAPP_TABLE_PREFIX})
 * @param s3Bucket media bucket ({@code CHATAPP_S3_BUCKET})
 * @param dynamodbEndpoint endpoint override, e.g. moto ({@code CHATAPP_DYNAMODB_ENDPOINT})
 * @param s3Endpoint endpoint override ({@code CHATAPP_S3_ENDPOINT})
 * @param signingKey base64 of at least 32 random bytes ({@code CHATAPP_SIGNING_KEY}); required
 *     with {@code dynamodb}, generated into the data directory otherwise
 * @param allowedOrigins WebSocket origins allowed ({@code CHATAPP_ALLOWED_ORIGINS}); empty means
 *     the server's own origin
 * @param apigatewayEndpoint API Gateway Management API endpoint ({@code CHATAPP_APIGATEWAY_ENDPOINT})
 * @param websocketUrl the WebSocket {@code url} tickets hand out ({@code CHATAPP_WEBSOCKET_URL});
 *     null means the server's own {@code /ws}
 * @param signingKeySecret name or ARN of an AWS Secrets Manager secret holding the signing key
 *     ({@code CHATAPP_SIGNING_KEY_SECRET}); read at start when {@code signingKey} is not set
 */
@ConfigurationProperties("chatapp")
public record ChatAppProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("sqlite") Store store,
        @DefaultValue("disk") Media media,
        @DefaultValue("builtin") Realtime realtime,
        @DefaultValue("") String tablePrefix,
        String s3Bucket,
        URI dynamodbEndpoint,
        URI s3Endpoint,
        String signingKey,
        @DefaultValue("") List<String> allowedOrigins,
        URI apigatewayEndpoint,
        String websocketUrl,
        String signingKeySecret) {

    /**
     * Refuses the settings no shape can serve (README.md, "Configuration"): API Gateway's
     * WebSockets and S3 media belong to the AWS shape, whose Lambda handlers and media records
     * are on DynamoDB. DynamoDB with media on disk stays possible (one machine trying the AWS
     * store, and tests).
     *
     * @throws OperatorError naming the settings to change
     */
    public void requirePossibleShape() {
        if (realtime == Realtime.APIGATEWAY && store != Store.DYNAMODB) {
            throw new OperatorError("CHATAPP_REALTIME=apigateway needs CHATAPP_STORE=dynamodb: the Lambda handlers "
                    + "behind API Gateway read tickets and connections from DynamoDB");
        }
        if (media == Media.S3 && store != Store.DYNAMODB) {
            throw new OperatorError("CHATAPP_MEDIA=s3 needs CHATAPP_STORE=dynamodb: S3 media belong to the AWS "
                    + "shape (use CHATAPP_MEDIA=disk with SQLite)");
        }
        if (media == Media.S3 && (s3Bucket == null || s3Bucket.isBlank())) {
            throw new OperatorError("CHATAPP_MEDIA=s3 needs CHATAPP_S3_BUCKET: the private bucket that holds photos "
                    + "and videos");
        }
        if (realtime == Realtime.APIGATEWAY && apigatewayEndpoint == null) {
            throw new OperatorError("CHATAPP_REALTIME=apigateway needs CHATAPP_APIGATEWAY_ENDPOINT: the Management API "
                    + "endpoint through which the server posts to API Gateway's connections");
        }
    }

    /** Where data lives. */
    public enum Store { SQLITE, DYNAMODB }

    /** Where photos and videos live. */
    public enum Media { DISK, S3 }

    /** Who holds the WebSockets. */
    public enum Realtime { BUILTIN, APIGATEWAY }
}
