package chatapp.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The token signing key kept in AWS Secrets Manager ({@code CHATAPP_SIGNING_KEY_SECRET}), so that
 * the AWS shape never stores it on an instance or in its configuration. Region, credentials and
 * an endpoint override ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) come from the SDK's default
 * chains.
 */
public final class SigningKeySecret {

    private SigningKeySecret() {
    }

    /**
     * The secret's string value (the base64 key, as {@code CHATAPP_SIGNING_KEY} takes it).
     *
     * @param secretId the secret's name or ARN
     * @throws IllegalStateException naming the secret when it cannot be read or holds no string
     */
    public static String read(String secretId) {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return read(client, secretId);
        }
    }

    /** As {@link #read(String)}, with the given client. */
    static String read(SecretsManagerClient client, String secretId) {
        try {
            String value = client.getSecretValue(b -> b.secretId(secretId)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("secret " + secretId + " holds no string value");
            }
            return value.strip();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read secret " + secretId + ": " + e.getMessage(), e);
        }
    }
}
