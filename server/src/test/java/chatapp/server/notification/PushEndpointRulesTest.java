package chatapp.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.account.UserType;
import chatapp.server.RunningServer;
import chatapp.server.account.TestAccounts;
import chatapp.server.account.TestAccounts.Session;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/security.md, "Push endpoints": with the default settings (no test switch), a subscription
 * whose endpoint is, or resolves to, an internal address is 400 naming {@code endpoint}, so the
 * server never connects there.
 */
class PushEndpointRulesTest {

    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/push", "https://169.254.169.254/latest/meta-data/", "https://[::1]/push",
        "https://localhost:8443/push", "https://2130706433/push", "https://10.0.0.1/push", "https://172.16.5.4/push",
        "https://192.168.0.10/push", "https://[fd00::1]/push", "https://100.64.1.1/push", "https://0.0.0.0/push",
        "https://224.0.0.251/push", "https://[::ffff:169.254.169.254]/push",
        // special-purpose (RFC 6890) but not private: documentation, benchmarking, reserved, IPv6 transition
        "https://192.0.0.8/push", "https://192.0.2.1/push", "https://198.18.0.1/push", "https://198.51.100.1/push",
        "https://203.0.113.1/push", "https://240.0.0.1/push", "https://255.255.255.255/push", "https://[::]/push",
        "https://[::ffff:8.8.8.8]/push", "https://[64:ff9b::7f00:1]/push", "https://[64:ff9b:1::1]/push",
        "https://[100::1]/push", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/push", "https://[2001:db8::1]/push",
        "https://[2002:a9fe:a9fe::1]/push", "https://[fe80::1]/push", "https://[ff02::1]/push"})
    void anInternalEndpointIs400NamingEndpoint(String endpoint) {
        Session parent = TestAccounts.register(server, UserType.PARENT);
        byte[] key = new byte[65];
        key[0] = 4;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String body = "{\"endpoint\":\"" + endpoint + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\""
                + b64.encodeToString(key) + "\",\"auth\":\"" + b64.encodeToString(new byte[16]) + "\"}}";
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/api/v1/users/me/push-subscriptions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + parent.accessToken())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.path("errors").valueStream().map(e -> e.path("field").asString()).toList())
                .containsExactly("endpoint");
    }
}
