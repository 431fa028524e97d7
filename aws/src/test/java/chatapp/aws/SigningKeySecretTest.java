package chatapp.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

class SigningKeySecretTest {

    private final MotoServer moto = MotoServer.get();
    private final SecretsManagerClient secrets = SecretsManagerClient.builder()
            .httpClient(UrlConnectionHttpClient.create()).region(MotoServer.REGION)
            .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).build();

    @Test
    void readsTheKeyAsStoredWithoutTheNewlineOfAPipedValue() {
        moto.reset();
        secrets.createSecret(b -> b.name("chatapp/key").secretString("c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0zMi1ieXRlcyE=\n"));
        assertThat(SigningKeySecret.read(secrets, "chatapp/key")).isEqualTo("c2VjcmV0LWtleS1vZi1hdC1sZWFzdC0zMi1ieXRlcyE=");
    }

    @Test
    void aMissingSecretIsAnErrorThatNamesIt() {
        moto.reset();
        assertThatThrownBy(() -> SigningKeySecret.read(secrets, "chatapp/nope"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("cannot read secret chatapp/nope: ");
    }
}
