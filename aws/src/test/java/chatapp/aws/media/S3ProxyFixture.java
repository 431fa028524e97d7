package chatapp.aws.media;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real S3 server in the test JVM (S3Proxy on an in-memory store, on a free loopback port) that
 * checks SigV4 signatures and presigned-URL expiry, which moto does not (docs/architecture.md, "Tests"). Gives
 * a test class a fresh bucket. Register as a static {@code @RegisterExtension} field.
 */
public final class S3ProxyFixture implements BeforeAllCallback, AfterAllCallback {

    static final String ACCESS_KEY = "chatapp-test";
    static final String SECRET_KEY = "chatapp-test-secret";

    private S3Proxy proxy;
    private S3Settings settings;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                // S3Proxy keeps no object tags (x-amz-tagging, the retention tag of messages' media):
                // it would refuse every put with 501. The tags are proven on moto (S3RetentionTagTest).
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        settings = new S3Settings(Region.US_EAST_1, URI.create("http://127.0.0.1:" + proxy.getPort()), "chatapp-media",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
        try (var s3 = settings.client()) {
            s3.createBucket(b -> b.bucket(settings.bucket()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        proxy.stop();
    }

    public S3Settings settings() {
        return settings;
    }
}
