package chatapp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/systemd/chatapp.service} passes {@code systemd-analyze verify} (which runs
 * without a booted systemd: it loads the unit with the host's unit files and reports bad
 * directives, bad values and missing executables) with nothing to say, and is as hardened as
 * {@code systemd-analyze security --offline} can tell.
 */
class SystemdUnitTest {

    private static final Path UNIT = Checkout.deploy("systemd/chatapp.service");
    private static final String JAVA = "/usr/bin/java";

    @TempDir
    Path tmp;

    @Test
    void systemdAnalyzeVerifyHasNothingToSay() throws Exception {
        Checkout.Result r = verify(hostCopy(Files.readString(UNIT)));
        assertThat(r.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void verifyWouldReportAMistypedDirectiveOrValueSoTheCheckAboveCanFail() throws Exception {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("Restart=always");
        Checkout.Result r = verify(hostCopy(unit.replace("Restart=always", "Restart=allways\nRestartSecs=2")));
        assertThat(r.output()).contains("restart specifier").contains("Unknown key 'RestartSecs'");
    }

    @Test
    void theUnitIsHardenedToAnExposureOfAtMostTwo() throws Exception {
        Path systemdAnalyze = Checkout.program("systemd-analyze", "systemd");
        Checkout.Result r = Checkout.run(List.of(systemdAnalyze.toString(), "security", "--offline=yes",
                "--threshold=20", hostCopy(Files.readString(UNIT)).toString()), Map.of("SYSTEMD_COLORS", "0"), 120);
        assertThat(r.output()).contains("Overall exposure level for chatapp.service");
        assertThat(r.status()).as(r.output()).isZero();
    }

    @Test
    void systemdAndSupervisorRunTheSameJvmCommandWithTheSameEnvironmentFile() throws Exception {
        String unit = Files.readString(UNIT);
        String program = Files.readString(Checkout.deploy("supervisor/chatapp.conf"));
        String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length());
        assertThat(execStart).startsWith(JAVA + " ").endsWith(" -jar /opt/chatapp/chatapp-exec.jar serve");
        assertThat(program).contains(". /etc/chatapp/chatapp.env && exec " + execStart + "'");
        assertThat(unit).contains("EnvironmentFile=/etc/chatapp/chatapp.env");
    }

    /**
     * The unit with {@code /usr/bin/java} (where Amazon Linux's Corretto 21 package puts it) as
     * the JDK that runs this test: verify checks that ExecStart's program exists on this machine,
     * which may have no JDK there. Everything else is checked as shipped.
     */
    private Path hostCopy(String unit) throws Exception {
        assertThat(unit).contains("ExecStart=" + JAVA + " ");
        Path copy = tmp.resolve("chatapp.service");
        Files.writeString(copy, unit.replace("ExecStart=" + JAVA + " ", "ExecStart=" + Checkout.java() + " "));
        return copy;
    }

    private static Checkout.Result verify(Path unit) throws Exception {
        Path systemdAnalyze = Checkout.program("systemd-analyze", "systemd");
        return Checkout.run(List.of(systemdAnalyze.toString(), "verify", unit.toString()), Map.of("SYSTEMD_COLORS", "0"), 120);
    }
}
