package chatapp.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code java} command of a JVM that a test starts (a {@code chatapp} command, a server in a
 * process of its own): this JVM's {@code java}, the SQLite library's native access, and the
 * options in the system property {@code chatapp.test.childJvm}, which the root pom sets from
 * {@code chatapp.test.child.jvm} (the JIT's first tier only: these JVMs live for seconds, mostly
 * starting up, and C2's compiling would only take CPU from the other tests;
 * docs/decisions/0071-test-suite-time.md). Empty when the property is unset (a test run from an IDE).
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** {@code java} and its options, before {@code -cp ...} or {@code -jar ...}. */
    public static List<String> java() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(options());
        return command;
    }

    /** The options of {@code chatapp.test.childJvm}, split at white space; none when it is unset or blank. */
    public static List<String> options() {
        String options = System.getProperty("chatapp.test.childJvm", "").strip();
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }
}
