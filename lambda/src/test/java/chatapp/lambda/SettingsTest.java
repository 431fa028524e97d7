package chatapp.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The functions' configuration read from their environment (deploy/template.yaml). */
class SettingsTest {

    private static Duration typingInterval(Map<String, String> env) {
        return Wiring.Settings.fromEnvironment(env).typingInterval();
    }

    @Test
    void theTypingIntervalIsTwoSecondsUnlessSet() {
        assertThat(typingInterval(Map.of())).isEqualTo(Duration.ofSeconds(2));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", " "))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theTypingIntervalIsReadAsTheServerReadsItsProperty() {
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "3s"))).isEqualTo(Duration.ofSeconds(3));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "1500ms"))).isEqualTo(Duration.ofMillis(1500));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "750"))).isEqualTo(Duration.ofMillis(750));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "1m"))).isEqualTo(Duration.ofMinutes(1));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "PT2.5S"))).isEqualTo(Duration.ofMillis(2500));
        assertThat(typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", "0s"))).isZero();
    }

    @Test
    void aTypingIntervalThatIsNoDurationStopsTheFunctionNamingTheVariable() {
        for (String bad : new String[] {"soon", "2 seconds", "-1s", "PT-1S", "99999999999999999999s"}) {
            assertThatThrownBy(() -> typingInterval(Map.of("CHATAPP_WEBSOCKET_TYPING_INTERVAL", bad))).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("CHATAPP_WEBSOCKET_TYPING_INTERVAL");
        }
    }

    @Test
    void theMessageLimitIsTheServersDefaultUnlessSetAndRefusesNonsenseNamingTheVariable() {
        assertThat(Wiring.Settings.fromEnvironment(Map.of()).messages())
                .isEqualTo(chatapp.chat.MessageLimit.Rate.DEFAULT);
        assertThat(Wiring.Settings.fromEnvironment(Map.of("CHATAPP_LIMITS_MESSAGES_PER_MINUTE", "120",
                "CHATAPP_LIMITS_MESSAGE_BURST", " 40 ")).messages()).isEqualTo(new chatapp.chat.MessageLimit.Rate(120, 40));
        for (String bad : new String[] {"0", "-5", "many", "1.5"}) {
            assertThatThrownBy(() -> Wiring.Settings.fromEnvironment(Map.of("CHATAPP_LIMITS_MESSAGE_BURST", bad))).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("CHATAPP_LIMITS_MESSAGE_BURST");
        }
    }

    @Test
    void theSocketCapIsTenUnlessSetAndMustBeAPositiveWholeNumber() {
        assertThat(Wiring.Settings.fromEnvironment(Map.of()).socketsPerUser()).isEqualTo(10);
        assertThat(Wiring.Settings.fromEnvironment(Map.of("CHATAPP_LIMITS_SOCKETS_PER_USER", "3")).socketsPerUser())
                .isEqualTo(3);
        for (String bad : new String[] {"many", "1.5", "0", "-2"}) {
            assertThatThrownBy(() -> Wiring.Settings.fromEnvironment(Map.of("CHATAPP_LIMITS_SOCKETS_PER_USER", bad)))
                    .as(bad).hasMessageContaining("CHATAPP_LIMITS_SOCKETS_PER_USER");
        }
    }
}
