package chatapp.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.core.ChatAppException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class PreferencesTest {

    private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

    private static Preferences quiet(String from, String until) {
        return new Preferences(true, true, true, Duration.ofMinutes(15), OSLO, LocalTime.parse(from), LocalTime.parse(until),
                null, null, null, null);
    }

    @Test
    void quietHoursThatWrapMidnightHoldInTheUsersTimeZone() {
        Preferences p = quiet("22:00", "07:00");
        // 21:30 UTC is 22:30 in Oslo in December (UTC+1)
        assertThat(p.quietAt(Instant.parse("2026-12-07T21:30:00Z"))).isTrue();
        assertThat(p.quietAt(Instant.parse("2026-12-07T20:30:00Z"))).isFalse();
        assertThat(p.quietAt(Instant.parse("2026-12-08T05:59:00Z"))).isTrue();
        assertThat(p.quietAt(Instant.parse("2026-12-08T06:00:00Z"))).isFalse();
        assertThat(p.quietEnds(Instant.parse("2026-12-07T21:30:00Z"))).isEqualTo(Instant.parse("2026-12-08T06:00:00Z"));
        assertThat(p.quietEnds(Instant.parse("2026-12-08T05:00:00Z"))).isEqualTo(Instant.parse("2026-12-08T06:00:00Z"));
        assertThat(p.quietEnds(Instant.parse("2026-12-07T12:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));
    }

    @Test
    void awayOutsideStatedHoursAndOnDaysOff() {
        Preferences p = new Preferences(true, true, true, Duration.ofMinutes(15), OSLO, null, null,
                "Back on Monday", LocalTime.parse("09:00"), LocalTime.parse("17:00"),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(p.awayAt(Instant.parse("2026-12-07T10:00:00Z"))).isFalse(); // Monday 11:00
        assertThat(p.awayAt(Instant.parse("2026-12-07T17:00:00Z"))).isTrue(); // Monday 18:00
        assertThat(p.awayAt(Instant.parse("2026-12-12T10:00:00Z"))).isTrue(); // Saturday
        assertThat(Preferences.defaults().awayAt(Instant.parse("2026-12-12T10:00:00Z"))).isFalse();
    }

    @Test
    void boundsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> new Preferences(true, true, true, Duration.ofSeconds(30), OSLO, null, null, null, null, null, null))
                .isInstanceOf(ChatAppException.class).hasMessageContaining("1 minute");
        assertThatThrownBy(() -> new Preferences(true, true, true, Duration.ofMinutes(15), OSLO, LocalTime.NOON, null, null, null, null, null))
                .isInstanceOf(ChatAppException.class).hasMessageContaining("start and an end");
    }
}
