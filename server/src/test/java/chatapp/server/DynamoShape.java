package chatapp.server;

import chatapp.aws.MotoServer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A {@link RunningServer} in the AWS shape against the JVM's moto server: the tables of
 * {@code chatapp.aws.DynamoFixture} (prefix {@code test-}; register that fixture first, with a
 * lower {@code @Order}), moto's region and static credentials through the AWS SDK's standard
 * system properties, and a fixed signing key (required in this shape).
 */
public final class DynamoShape {

    /** Base64 of 32 bytes: the test signing key of the DynamoDB shape. */
    public static final String SIGNING_KEY = Base64.getEncoder().encodeToString(
            "dynamo-shape-test-signing-key-32".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private DynamoShape() {
    }

    /** The server, not yet started; {@code extraArgs} are added after the shape's own. */
    public static RunningServer server(String... extraArgs) {
        MotoServer moto = MotoServer.get();
        System.setProperty("aws.region", MotoServer.REGION.id());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        List<String> args = new ArrayList<>(List.of("--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(), "--chatapp.table-prefix=test-",
                "--chatapp.signing-key=" + SIGNING_KEY));
        args.addAll(List.of(extraArgs));
        return new RunningServer(args.toArray(String[]::new));
    }
}
