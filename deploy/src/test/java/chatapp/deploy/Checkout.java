package chatapp.deploy;

import chatapp.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Files of this checkout and the external tools the deployment tests run. */
final class Checkout {

    private Checkout() {
    }

    static Path root() {
        return MotoServer.repositoryRoot();
    }

    static Path deploy(String file) {
        return root().resolve("deploy").resolve(file);
    }

    /** {@code server/target/chatapp-exec.jar}, built by the server module's package phase. */
    static Path serverJar() {
        Path jar = root().resolve("server/target/chatapp-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: run the reactor (./mvnw verify), whose server "
                    + "module packages it before this module's tests");
        }
        return jar;
    }

    /** The JDK running the tests (21+), for child JVMs. */
    static Path java() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow(
                () -> new AssertionError("cannot tell which java runs the tests")));
    }

    /**
     * A tool of the project's Python venv ({@code scripts/test-requirements.txt}), found beside the
     * venv's python as {@link MotoServer} finds it.
     *
     * @throws AssertionError if it is not installed there (never skipped)
     */
    static Path venvTool(String name) {
        Path python = MotoServer.python();
        Path tool = python.resolveSibling(name);
        if (!Files.isExecutable(tool)) {
            throw new AssertionError(name + " is not installed beside " + python + "; install it with "
                    + python.resolveSibling("pip") + " install -r scripts/test-requirements.txt (.ci/run does)");
        }
        return tool;
    }

    /** A program on the PATH, or a loud failure naming the Debian package that provides it. */
    static Path program(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " is not installed: apt-get install " + debianPackage + " (.ci/run does)");
    }

    record Result(int status, String output) {
    }

    /** Runs a command to completion (stdout and stderr together). */
    static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Path out = Files.createTempFile("chatapp-deploy-run", ".txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s: " + Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }
}
