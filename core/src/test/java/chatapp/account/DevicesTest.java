package chatapp.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The session list's device: a short summary of the User-Agent, never the raw header. */
class DevicesTest {

    @Test
    void commonBrowsersAreNamedWithTheirSystem() {
        assertThat(Devices.summary("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36")).isEqualTo("Chrome on Windows");
        assertThat(Devices.summary("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")).isEqualTo("Edge on Windows");
        assertThat(Devices.summary("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"))
                .isEqualTo("Firefox on Linux");
        assertThat(Devices.summary("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")).isEqualTo("Safari on iPhone");
        assertThat(Devices.summary("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/131.0.0.0 Mobile Safari/537.36")).isEqualTo("Chrome on Android");
        assertThat(Devices.summary("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.0 Safari/605.1.15")).isEqualTo("Safari on macOS");
    }

    @Test
    void otherClientsAreNamedByTheirFirstProductAndNothingIsNull() {
        assertThat(Devices.summary("Java-http-client/25")).isEqualTo("Java-http-client 25");
        assertThat(Devices.summary("curl/8.5.0")).isEqualTo("curl 8.5.0");
        assertThat(Devices.summary(null)).isNull();
        assertThat(Devices.summary("   ")).isNull();
        assertThat(Devices.summary("\u00e9\u00e9\u00e9")).isNull();
        assertThat(Devices.summary("x".repeat(500))).hasSize(Devices.MAX_LENGTH);
    }
}
