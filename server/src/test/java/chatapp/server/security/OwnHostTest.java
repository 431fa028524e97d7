package chatapp.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Host headers count as this server's own names (docs/decisions/0022-own-host.md). */
class OwnHostTest {

    private final OwnHost own = new OwnHost(Set.of("clinic-pc"), List.of("https://chat.clinic.example", "not an origin"));

    @Test
    void ipLiteralsLocalhostTheMachineAndConfiguredOriginsAreTrusted() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.1:8080", "192.168.1.20:8080", "[::1]:8080", "[fe80::1]",
                "localhost", "LOCALHOST:8080", "localhost.:8080", "clinic-pc:8080", "Clinic-PC", "chat.clinic.example",
                "chat.clinic.example:443"}) {
            assertThat(own.trusts(host)).as(host).isTrue();
        }
    }

    @Test
    void otherNamesAndMalformedHostsAreNot() {
        for (String host : new String[] {null, "", "evil.example", "evil.example:8080", "localhost.evil.example",
                "127.0.0.1.nip.io:8080", "clinic-pc.evil.example", "evil.example; script-src *", "chat.clinic.example@evil",
                "1.2.3.4.evil.example"}) {
            assertThat(own.trusts(host)).as(host).isFalse();
        }
    }
}
