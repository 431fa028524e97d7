package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/security.md, "Push endpoints": no subscription may point the server into its own network. */
class PushEndpointsTest {

    private static final String P256DH;
    private static final String AUTH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    static {
        byte[] key = new byte[65];
        key[0] = 4;
        P256DH = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static PushSubscription subscribe(String endpoint, boolean allowPrivate) {
        return PushSubscription.of("user-1", "session-1", endpoint, P256DH, AUTH, Instant.EPOCH, false, allowPrivate);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://127.0.0.1/push", "https://127.1.2.3:8443/push", "https://localhost/push", "https://LOCALHOST./push",
        "https://169.254.169.254/latest/meta-data", "https://[::1]/push", "https://[0:0:0:0:0:0:0:1]/push",
        "https://2130706433/push", "https://0x7f000001/push", "https://0177.0.0.1/push", "https://10.0.0.8/push",
        "https://172.16.0.1/push", "https://172.31.255.255/push", "https://192.168.1.1/push", "https://[fc00::1]/push",
        "https://[fd12:3456::1]/push", "https://[fe80::1]/push", "https://[fec0::1]/push", "https://0.0.0.0/push",
        "https://[::]/push", "https://0.1.2.3/push", "https://224.0.0.1/push", "https://[ff02::1]/push",
        "https://255.255.255.255/push", "https://100.64.0.1/push", "https://100.127.255.254/push",
        "https://[::ffff:127.0.0.1]/push", "https://[::ffff:10.0.0.1]/push", "https://[::127.0.0.1]/push",
        "https://[64:ff9b::a9fe:a9fe]/push", "https://no-such-host.invalid/push",
        // The IANA special-purpose registries (RFC 6890), beyond private and loopback:
        "https://192.0.0.1/push", "https://192.0.2.1/push", "https://198.18.0.1/push", "https://198.19.255.254/push",
        "https://198.51.100.7/push", "https://203.0.113.9/push", "https://240.0.0.1/push", "https://250.1.2.3/push",
        "https://239.255.255.250/push", "https://192.88.99.1/push", "https://[::ffff:8.8.8.8]/push",
        "https://[64:ff9b::808:808]/push", "https://[64:ff9b:1::1]/push", "https://[100::1]/push",
        "https://[2001::1]/push", "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/push", "https://[2001:10::1]/push",
        "https://[2001:db8::1]/push", "https://[2002:7f00:1::1]/push", "https://[2002:a00:1::1]/push",
        "https://[2002:808:808::1]/push", "https://[3fff::1]/push", "https://[5f00::1]/push", "https://[fc00::1]/push",
        "https://[fe80::1%1]/push", "https://[ff0e::1]/push", "https://[4000::1]/push", "https://[::2]/push"})
    void anEndpointOnAnInternalAddressIsRefusedNamingEndpoint(String endpoint) {
        assertThatThrownBy(() -> subscribe(endpoint, false)).isInstanceOfSatisfying(ChatAppException.class,
                e -> assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("endpoint"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/push", "https://[2001:4860:4860::8888]/push", "https://100.128.0.1/push",
        "https://172.32.0.1/push", "https://192.169.0.1/push", "https://198.20.0.1/push", "https://192.0.3.1/push",
        "https://223.255.255.1/push", "https://[2001:200::1]/push", "https://[2a00:1450:4001::200e]/push"})
    void anEndpointOnAPublicAddressIsAccepted(String endpoint) {
        assertThat(subscribe(endpoint, false).endpoint()).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8:0/push", "https://8.8.8.8:65536/push", "https://8.8.8.8:99999/push"})
    void anEndpointWithoutAValidPortIsRefusedNamingEndpoint(String endpoint) {
        assertThatThrownBy(() -> subscribe(endpoint, false)).isInstanceOfSatisfying(ChatAppException.class,
                e -> assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("endpoint");
                    assertThat(f.message()).contains("port from 1 to 65535");
                }));
        assertThat(subscribe("https://8.8.8.8:443/push", false).endpoint()).isEqualTo("https://8.8.8.8:443/push");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/push", "https://localhost:8443/push"})
    void theTestOnlySwitchAdmitsInternalHosts(String endpoint) {
        assertThat(subscribe(endpoint, true).endpoint()).isEqualTo(endpoint);
    }
}
