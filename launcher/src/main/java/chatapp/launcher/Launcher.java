package chatapp.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.loader.launch.JarLauncher;

/**
 * The executable jar's {@code Main-Class} ({@code java -jar chatapp-exec.jar ...}), at the jar's
 * root: the JVM's own class loader reads it, before Spring Boot's {@link JarLauncher} opens the
 * jars nested in this one (docs/decisions, "root-launcher"; "launcher" for the child JVM).
 *
 * <p>The JVM's ahead-of-time cache (JDK 25) holds only classes loaded from plain jar files, never
 * from the jars nested inside this one, and a JVM option cannot be set from inside a running JVM.
 * So, for {@code serve} (also no command and the {@code --...} forms) and {@code seed}, when the
 * extracted copy of this very jar and a cache trained on it lie beside it
 * ({@code aot/<this jar's name>} and {@code aot/chatapp.aot}, made by {@code ./chatapp} after a
 * build; not older than this jar), this class starts the server as a child JVM from that copy with
 * {@code -XX:AOTCache}, the same JVM options as its own plus the training run's and
 * {@link #CACHED_START_OPTIONS}, and the same
 * standard streams; it passes SIGTERM (and any stop of this JVM) on to the child, waits for it, and
 * exits with its exit status (143 after SIGTERM, as before). The child ends at once if this process
 * dies without telling it (kill -9), so a supervisor's restart finds the port and the data
 * directory free.
 *
 * <p>Otherwise (no cache, a JDK older than 25, {@code CHATAPP_AOT=off}, a JVM option that is not
 * {@link #shareable}, {@code -Djarmode=...}, any other command) it hands over to
 * {@link JarLauncher}, which runs the jar's {@code Start-Class} ({@code chatapp.server.cli.ChatApp})
 * in this JVM, as before. Compiled for Java 17 (as Spring Boot's loader is), so that a {@code java}
 * 17 to 20 gets one line saying ChatApp needs 21 rather than a stack trace. Nothing but JDK
 * classes is loaded before the choice.
 */
public final class Launcher {

    /**
     * The child's system property naming this process, so the child can stop when it dies (read
     * by {@code chatapp.server.cli.ChatApp}).
     */
    public static final String PARENT_PID = "chatapp.launcher.pid";
    /**
     * The JVM options of the training run ({@code ./chatapp}'s {@code java_opts}): the cache is
     * used only with the same native-access setting, and the heap settings keep an idle server
     * small (docs/decisions/0041-fast-start.md).
     */
    public static final List<String> TRAINING_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-XX:+UseG1GC", "-Xms64m", "-XX:G1PeriodicGCInterval=60000");
    /**
     * The JIT option of a start with the cache ({@code ./chatapp}'s {@code cached_opts}): with the
     * training run's profiles, JDK 25 moves a method from tier 2 straight to C2 only when the
     * training recorded it compiled by C2 and every class that compile depended on is
     * initialised here; otherwise it delays the method's profiling 250-fold
     * ({@code Tier2ProfileDelayFactor}), and the server's own receive path waited at tier 2 for
     * 8-12 s under load. A factor of 1 lets such methods follow the ordinary tiers
     * (docs/decisions/0076-jit-profile-delay.md). A diagnostic flag of JDK 25: a JDK that drops it
     * refuses to start the child, which LauncherIT shows.
     */
    public static final List<String> CACHED_START_OPTIONS = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:Tier2ProfileDelayFactor=1");
    /** The oldest Java the server's classes run on (the root pom's {@code maven.compiler.release}). */
    static final int OLDEST_JAVA = 21;

    private Launcher() {
    }

    /**
     * Starts ChatApp: in a child JVM with the AOT cache when there is one for this jar, else in
     * this JVM through Spring Boot's {@link JarLauncher}. On a Java older than
     * {@value #OLDEST_JAVA}: one line on stderr and exit status 1.
     *
     * @throws Exception if the child JVM cannot be started, or what {@link JarLauncher} throws
     */
    public static void main(String[] args) throws Exception {
        String tooOld = tooOld(Runtime.version().feature(), System.getProperty("jarmode"));
        if (tooOld != null) {
            System.err.println(tooOld + " (" + System.getProperty("java.home") + ")");
            System.exit(1);
        }
        Optional<List<String>> child = childCommand(args);
        if (child.isEmpty()) {
            JarLauncher.main(args);
            return;
        }
        Process server = new ProcessBuilder(child.get()).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM/SIGINT to this JVM, or its normal end: the child stops gracefully first and
            // its status becomes ours (halt: a hook cannot call exit)
            server.destroy();
            try {
                Runtime.getRuntime().halt(server.waitFor());
            } catch (InterruptedException e) {
                Runtime.getRuntime().halt(1);
            }
        }, "chatapp-launcher-stop"));
        System.exit(server.waitFor());
    }

    /**
     * The line to end with on a Java older than ChatApp needs, or null to go on. Spring Boot's
     * tools ({@code -Djarmode=tools}, built for Java 17) still run there.
     */
    static String tooOld(int javaFeature, String jarMode) {
        if (javaFeature >= OLDEST_JAVA || jarMode != null) {
            return null;
        }
        return "ChatApp needs Java " + OLDEST_JAVA + " or newer; this is " + javaFeature;
    }

    /** The child's command line, or empty to run in this JVM. */
    static Optional<List<String>> childCommand(String[] args) {
        String name = args.length == 0 || args[0].startsWith("--") ? "serve" : args[0];
        if (!name.equals("serve") && !name.equals("seed") || System.getProperty("jarmode") != null) {
            return Optional.empty(); // another command, or Spring Boot's tools (extract)
        }
        if ("off".equals(System.getenv("CHATAPP_AOT")) || Runtime.version().feature() < 25) {
            return Optional.empty();
        }
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
            return Optional.empty(); // not java -jar
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        Path dir = jar.getParent().resolve("aot");
        Path extracted = dir.resolve(jar.getFileName());
        Path cache = dir.resolve("false".equals(System.getProperty("spring.aot.enabled"))
                ? "chatapp-spring-aot-off.aot" : "chatapp.aot");
        if (!notOlder(extracted, jar) || !notOlder(cache, jar)) {
            return Optional.empty();
        }
        List<String> jvmOptions = jvmOptions();
        if (jvmOptions == null) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TRAINING_OPTIONS);
        command.addAll(CACHED_START_OPTIONS);
        command.addAll(jvmOptions); // the caller's own come after, so they win
        command.add("-XX:AOTCache=" + cache);
        command.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(extracted.toString());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /**
     * This JVM's options as given on its command line (before {@code -jar}), or null to run in
     * this JVM: when they cannot be read, or when one of them (or of {@code JDK_JAVA_OPTIONS}, which
     * reaches the child by the environment) is not {@link #shareable}: this JVM has already acted
     * on it (a debugger's or JMX's port is taken here; a garbage collector other than the training
     * run's cannot be chosen in the child; an AOT or CDS archive is the caller's choice).
     */
    private static List<String> jvmOptions() {
        Optional<String[]> arguments = ProcessHandle.current().info().arguments();
        if (arguments.isEmpty()) {
            return null;
        }
        List<String> options = new ArrayList<>();
        for (String argument : arguments.get()) {
            if (argument.equals("-jar")) {
                String environment = System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "").strip();
                List<String> all = new ArrayList<>(options);
                if (!environment.isEmpty()) {
                    all.addAll(List.of(environment.split("\\s+")));
                }
                return all.stream().allMatch(Launcher::shareable) ? options : null;
            }
            options.add(argument);
        }
        return null; // not started with -jar
    }

    /**
     * An option both JVMs may carry without harm and that the child's cache accepts: system
     * properties (not JMX's, whose port this JVM would hold), heap and stack sizes, the native
     * access and the collector the training run uses.
     */
    static boolean shareable(String option) {
        if (option.startsWith("-Dcom.sun.management")) {
            return false;
        }
        return option.startsWith("-D") || option.startsWith("-Xmx") || option.startsWith("-Xms")
                || option.startsWith("-Xss") || option.startsWith("-XX:MaxRAMPercentage=")
                || option.startsWith("-XX:InitialRAMPercentage=") || option.startsWith("-XX:MinRAMPercentage=")
                || option.startsWith("--enable-native-access=") || TRAINING_OPTIONS.contains(option);
    }

    private static boolean notOlder(Path file, Path than) {
        try {
            return Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
