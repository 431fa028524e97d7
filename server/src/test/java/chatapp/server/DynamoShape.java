package chatapp.server;

import chatapp.aws.MotoServer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RunningServer} in the AWS shape against the JVM's moto server: the tables of
 * {@code chatapp.aws.DynamoFixture} (prefix {@code test-}; register that fixture first, with a
 * lower {@code @Order}), moto's region and credentials ({@link AwsTestEnvironment}) and the test
 * signing key (required in this shape).
 */
public final class DynamoShape {

    private DynamoShape() {
    }

    /** The server, not yet started; {@code extraArgs} are added after the shape's own. */
    public static RunningServer server(String... extraArgs) {
        MotoServer moto = MotoServer.get();
        AwsTestEnvironment.use(moto);
        List<String> args = new ArrayList<>(List.of("--chatapp.store=dynamodb",
                "--chatapp.dynamodb-endpoint=" + moto.endpoint(), "--chatapp.table-prefix=test-",
                "--chatapp.signing-key=" + AwsTestEnvironment.SIGNING_KEY));
        args.addAll(List.of(extraArgs));
        return new RunningServer(args.toArray(String[]::new));
    }
}
