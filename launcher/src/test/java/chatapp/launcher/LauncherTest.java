package chatapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The launcher's rules that need no jar: which Java it refuses and which JVM options the server's
 * JVM may share with it. Its choice of a child JVM and its hand-over to Spring Boot run on the
 * packaged jar (the server's LauncherIT).
 */
class LauncherTest {

    @Test
    void aJavaOlderThan21GetsOneLineSayingSoUnlessSpringBootsToolsRun() {
        assertThat(Launcher.tooOld(17, null)).isEqualTo("ChatApp needs Java 21 or newer; this is 17");
        assertThat(Launcher.tooOld(20, null)).contains("this is 20");
        assertThat(Launcher.tooOld(17, "tools")).as("-Djarmode=tools extract runs on 17").isNull();
        assertThat(Launcher.tooOld(21, null)).isNull();
        assertThat(Launcher.tooOld(25, null)).isNull();
    }

    @Test
    void onlyOptionsBothJvmsCanCarryAreShared() {
        assertThat(Launcher.shareable("-Dchatapp.port=8080")).isTrue();
        assertThat(Launcher.shareable("-XX:MaxRAMPercentage=75")).isTrue();
        assertThat(Launcher.shareable("-Xmx512m")).isTrue();
        assertThat(Launcher.shareable("-XX:+UseG1GC")).as("the training run's collector").isTrue();
        assertThat(Launcher.shareable("-XX:+UseSerialGC")).isFalse();
        assertThat(Launcher.shareable("-Dcom.sun.management.jmxremote.port=9010")).isFalse();
        assertThat(Launcher.shareable("-agentlib:jdwp=transport=dt_socket,server=y,address=5005")).isFalse();
        assertThat(Launcher.shareable("-XX:AOTCache=other.aot")).isFalse();
    }
}
