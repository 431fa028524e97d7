package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.bench.Options.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line of README's {@code ./chatapp bench ...}. */
class OptionsTest {

    @Test
    void theReadmeCommandIsASteadyRunWithAWarmUpOfATenth() {
        Options o = Options.parse("--pairs", "500", "--rate", "2000", "--duration", "60s");

        assertThat(o.mode()).isEqualTo(Mode.STEADY);
        assertThat(o.pairs()).isEqualTo(500);
        assertThat(o.rate()).isEqualTo(2000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(6));
        assertThat(o.target()).isNull();
    }

    @Test
    void modeFirstAndOptionsWithEqualsSigns() {
        Options o = Options.parse("ramp", "--target=http://10.0.0.5:8080/", "--p99=20ms", "--step", "100", "--duration", "1.5m");

        assertThat(o.mode()).isEqualTo(Mode.RAMP);
        assertThat(o.target()).isEqualTo(URI.create("http://10.0.0.5:8080"));
        assertThat(o.p99Bound()).isEqualTo(Duration.ofMillis(20));
        assertThat(o.step()).isEqualTo(100);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.maxRate()).isEqualTo(2 * 100 * 15); // pairs x 2 connections x pacing
    }

    @Test
    void aRateTheConnectionsCannotCarryNamesThePairsNeeded() {
        assertThatThrownBy(() -> Options.parse("--pairs", "10", "--rate", "1000"))
                .hasMessageContaining("needs at least 34 pairs");
    }

    @Test
    void crashModeRefusesARemoteTarget() {
        assertThatThrownBy(() -> Options.parse("crash", "--target", "http://example.org"))
                .hasMessageContaining("leave out --target");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Options.parse("--duration", "soon")).hasMessageContaining("--duration must be a duration");
        assertThatThrownBy(() -> Options.parse("--pairs", "-3")).hasMessageContaining("--pairs must be a positive whole number");
        assertThatThrownBy(() -> Options.parse("--colour", "red")).hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> Options.parse("sprint")).hasMessageContaining("unknown mode 'sprint'");
        assertThatThrownBy(() -> Options.parse("--duration", "5s", "--warmup", "5s")).hasMessageContaining("--warmup");
    }

    @Test
    void aBadCommandLineExitsWithTwoAndTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--pairs"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(LoadTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pairs needs a value").contains("usage: chatapp bench");
    }
}
