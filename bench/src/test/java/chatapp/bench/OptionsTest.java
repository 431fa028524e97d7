package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chatapp.bench.Options.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line of README's {@code ./chatapp bench ...}. */
class OptionsTest {

    @Test
    void theReadmeCommandIsASteadyRunWithTenSecondsOfWarmUpReportedApart() {
        Options o = Options.parse("--pairs", "500", "--rate", "2000", "--duration", "60s");

        assertThat(o.mode()).isEqualTo(Mode.STEADY);
        assertThat(o.pairs()).isEqualTo(500);
        assertThat(o.rate()).isEqualTo(2000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(10));
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
    void aShortRunWarmsUpForHalfItsDuration() {
        assertThat(Options.parse("--duration", "6s").warmup()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aRateTheConnectionsOfARemoteServerCannotCarryNamesThePairsNeededAndTheServerSettings() {
        assertThatThrownBy(() -> Options.parse("--target", "http://10.0.0.5:8080", "--pairs", "10", "--rate", "1000"))
                .hasMessageContaining("needs at least 34 pairs")
                .hasMessageContaining("CHATAPP_WEBSOCKET_FRAMES_PER_SECOND");
        assertThatThrownBy(() -> Options.parse("--pairs", "10", "--rate", "1000", "--connection-rate", "15"))
                .hasMessageContaining("needs at least 34 pairs");
    }

    @Test
    void aServerTheToolStartsGetsTheFloodLimitTheRateNeeds() {
        Options o = Options.parse("--pairs", "25", "--rate", "5000", "--duration", "20s");

        assertThat(o.connectionRate()).isEqualTo(100); // 5,000 msg/s over 50 connections
        assertThat(o.serverLimits()).containsExactly("--chatapp.websocket.frames-per-second=155",
                "--chatapp.websocket.frame-burst=340");
        // a slow run keeps the defaults: the tool's pacing and the server's limits as shipped
        Options slow = Options.parse("--pairs", "100", "--rate", "500");
        assertThat(slow.connectionRate()).isEqualTo(15);
        assertThat(slow.serverLimits()).isEmpty();
    }

    @Test
    void theServerJarHasOneNameAndTheOlderOneStillWorks() {
        assertThat(Options.parse("--server-jar", "a.jar").serverJar()).isEqualTo(java.nio.file.Path.of("a.jar"));
        assertThat(Options.parse("--jar", "b.jar").serverJar()).isEqualTo(java.nio.file.Path.of("b.jar"));
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
        assertThatThrownBy(() -> Options.parse("--target", "notaurl"))
                .hasMessageContaining("--target notaurl is not the http:// or https:// URL of a running ChatApp");
        assertThatThrownBy(() -> Options.parse("--target", "ftp://x")).hasMessageContaining("is not the http://");
        assertThatThrownBy(() -> Options.parse("--pairs", "5", "--rate", "1e9"))
                .hasMessageContaining("frames/s on each connection is more than the tool paces (10000): add pairs");
    }

    @Test
    void aBadCommandLineExitsWithTwoAndTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--pairs"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(LoadTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--pairs needs a value").contains("usage: chatapp bench");
    }

    @Test
    void anUnknownOptionIsNamedAndExitsWithTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--pairs", "3", "--bogus"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(LoadTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("chatapp bench: unknown option --bogus")
                .doesNotContain("Exception");
    }

    @Test
    void helpAnywherePrintsTheUsageAndExitsWithZero() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"steady", "--pairs", "3", "--help"},
                new String[] {"ramp", "-h"}, new String[] {"help"}, new String[] {"steady", "help"})) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = LoadTool.run(args, new PrintStream(out), new PrintStream(err));

            assertThat(status).as(String.join(" ", args)).isEqualTo(LoadTool.CLEAN);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: chatapp bench").contains("--tool-warmup");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void theToolWarmsItsOwnCodeForFiveSecondsUnlessTold() {
        assertThat(Options.parse().toolWarmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Options.parse("--tool-warmup", "0").toolWarmup()).isZero();
    }

    @Test
    void aNegativeDurationIsRefusedWithTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"--tool-warmup", "-1s"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(LoadTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("chatapp bench: --tool-warmup must not be negative");
        assertThatThrownBy(() -> Options.parse("--warmup", "-2s")).hasMessageContaining("--warmup must not be negative");
        assertThatThrownBy(() -> Options.parse("--duration", "0")).hasMessageContaining("--duration must be longer than 0");
    }

    @Test
    void anOptionOfAnotherModeIsRefusedRatherThanIgnored() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = LoadTool.run(new String[] {"ramp", "--kills", "3"}, new PrintStream(out), new PrintStream(err));

        assertThat(status).isEqualTo(LoadTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("chatapp bench: --kills is for crash mode only, not ramp");
        assertThatThrownBy(() -> Options.parse("--step", "100")).hasMessageContaining("--step is for ramp mode only");
        assertThatThrownBy(() -> Options.parse("crash", "--connections", "10")).hasMessageContaining("--connections is for idle");
        assertThat(Options.parse("--mode", "crash", "--kills", "2").kills()).isEqualTo(2);
    }
}
