package chatapp.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link UserView#time}'s own digits give exactly what its {@code DateTimeFormatter} gives (API.md's time format). */
class UserViewTimeTest {

    @Test
    void theDigitsAreTheFormattersForEveryYearAndTheEdges() {
        SplittableRandom random = new SplittableRandom(24);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(min, max), random.nextInt(1_000_000_000));
            assertThat(UserView.time(at)).as(at.toString()).isEqualTo(UserView.TIME.format(at));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
                "0999-12-31T23:59:59.999Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z", "2000-02-29T12:34:56.789Z", "2026-12-07T21:30:00.000999Z"}) {
            Instant at = Instant.parse(edge);
            assertThat(UserView.time(at)).as(edge).isEqualTo(UserView.TIME.format(at));
        }
        assertThat(UserView.time(Instant.parse("2026-12-07T21:30:05.123456Z"))).isEqualTo("2026-12-07T21:30:05.123Z");
    }
}
