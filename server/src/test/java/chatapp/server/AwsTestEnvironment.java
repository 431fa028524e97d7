package chatapp.server;

import chatapp.aws.MotoServer;

/**
 * Points the AWS SDK's default region and credential chains at moto's region and test
 * credentials for servers started in this JVM, the way {@code AWS_REGION} and
 * {@code AWS_ACCESS_KEY_ID} do in production.
 */
public final class AwsTestEnvironment {

    /** A fixed 32-byte test key (base64), for shapes that require CHATAPP_SIGNING_KEY. */
    public static final String SIGNING_KEY = "dGVzdC1zaWduaW5nLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

    private AwsTestEnvironment() {
    }

    public static void use(MotoServer moto) {
        System.setProperty("aws.region", MotoServer.REGION.id());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }
}
