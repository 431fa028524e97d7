package chatapp.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.server.cli.ChatApp;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Access tokens stay valid exactly until their expiry, also once remembered as verified. */
class AccessTokensTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aVerifiedTokenIsRefusedOnceItExpiresAndAnAlteredOneNeverPasses() throws Exception {
        SigningKeys keys = SigningKeys.of(ChatApp.bind("--chatapp.data-dir=" + Files.createTempDirectory("tokens")));
        MovableClock clock = new MovableClock();
        AccessTokens tokens = new AccessTokens(keys, clock);
        String token = tokens.issue("user-1", "session-1");

        assertThat(tokens.verify(token)).get().extracting(AccessTokens.Bearer::userId).isEqualTo("user-1");
        clock.now = clock.now.plus(AccessTokens.LIFETIME).minusSeconds(1);
        assertThat(tokens.verify(token)).as("remembered, still within its lifetime").isPresent();

        String altered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThat(tokens.verify(altered)).as("a changed signature").isEmpty();
        // Every other character in the signature's last place: the same MAC bytes for three of
        // them under a lenient decoder (two unused bits), yet not the token that was issued.
        String base = token.substring(0, token.length() - 1);
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            if (c != token.charAt(token.length() - 1)) {
                assertThat(tokens.verify(base + c)).as("last character " + c).isEmpty();
            }
        }

        clock.now = clock.now.plus(Duration.ofMinutes(2)); // past exp and the 60 s clock skew
        assertThat(tokens.verify(token)).as("expired, though verified before").isEmpty();
        assertThat(new AccessTokens(keys, clock).verify(token)).as("expired, never seen").isEmpty();
    }
}
