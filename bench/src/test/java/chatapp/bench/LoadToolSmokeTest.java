package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A short run of each mode against a real server (the runnable jar in its own JVM, as
 * {@code ./chatapp bench} runs it) over real sockets: seconds long, a few pairs. Each asserts what
 * the tool promises: nothing acked lost or duplicated, everything delivered, and a result file and
 * plots that hold the figures.
 */
class LoadToolSmokeTest {

    @TempDir
    static Path dir;

    private static ChildServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Path jar = Path.of(System.getProperty("chatapp.bench.serverJar", "../server/target/chatapp-exec.jar"));
        List<String> options = new ArrayList<>(List.of("-Xmx512m"));
        // the JVM options of every JVM the tests start (docs/decisions/0071-test-suite-time.md)
        String child = System.getProperty("chatapp.test.childJvm", "").strip();
        if (!child.isEmpty()) {
            options.addAll(List.of(child.split("\\s+")));
        }
        server = ChildServer.start(jar, dir.resolve("data"), options, dir.resolve("server.log"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private record Run(int status, String out, JsonNode result, Path dir) {
    }

    private static Run run(String name, String... args) throws IOException {
        Path out = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", out.toString(), "--state", dir.resolve("state.json").toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status = LoadTool.run(all.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stdout, true, StandardCharsets.UTF_8));
        String text = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(text); // kept in target/surefire-reports
        JsonNode result = Api.JSON.readTree(Files.readString(out.resolve("result.json")));
        return new Run(status, text, result, out);
    }

    private static void assertPng(Path file, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file.toString()).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(height);
    }

    private static void assertCleanVerification(Run run, long expectedSends) {
        JsonNode v = run.result().path("verification");
        assertThat(run.status()).as(run.out()).isEqualTo(LoadTool.CLEAN);
        assertThat(v.path("clean").asBoolean()).isTrue();
        assertThat(v.path("sent").asLong()).isEqualTo(expectedSends);
        assertThat(v.path("acked").asLong()).isEqualTo(expectedSends);
        assertThat(v.path("storedOnce").asLong()).isEqualTo(expectedSends);
        assertThat(v.path("lost").asLong()).isZero();
        assertThat(v.path("duplicated").asLong()).isZero();
        assertThat(v.path("undelivered").asLong()).isZero();
        assertThat(run.out()).contains("lost 0, duplicated 0");
    }

    @Test
    void steadySendsAtTheRateAndEveryAckedMessageIsStoredOnceAndDelivered() throws IOException {
        Run run = run("steady", "steady", "--target", server.base().toString(), "--pairs", "3", "--rate", "30",
                "--duration", "3s", "--warmup", "500ms", "--tool-warmup", "1s");

        assertCleanVerification(run, 90);
        JsonNode latency = run.result().path("latencyMs");
        assertThat(latency.path("ack").path("count").asLong()).isBetween(70L, 90L); // the warm-up is not counted
        JsonNode warmup = run.result().path("warmupLatencyMs"); // ... but reported apart
        assertThat(warmup.path("seconds").asDouble()).isEqualTo(0.5);
        assertThat(warmup.path("ack").path("count").asLong() + latency.path("ack").path("count").asLong()).isEqualTo(90);
        assertThat(run.out()).contains("first 0.5 s (warm-up, not in the figures above");
        assertThat(latency.path("endToEnd").path("p99").asDouble()).isPositive();
        assertThat(latency.path("endToEnd").path("max").asDouble())
                .isGreaterThanOrEqualTo(latency.path("endToEnd").path("p50").asDouble());
        assertThat(run.result().path("throughput").path("acked").asDouble()).isBetween(20.0, 40.0);
        assertThat(run.result().path("errors").size()).isZero();
        assertThat(run.result().path("timeline").size()).isGreaterThanOrEqualTo(3);
        assertThat(run.out()).contains("ack (send->ack)").contains("end-to-end (->recipient)").contains("offered 30/s");
        // the tool warmed its own code against a local stand-in: the server got none of it (exactly 90 sends above)
        assertThat(run.result().path("toolWarmup").path("sends").asLong()).isPositive();
        assertThat(run.out()).contains("the server got nothing");
        // its own part of the latencies, and the CPU by second and phase
        assertThat(run.result().path("toolLagMs").path("first").path("sendLag").path("count").asLong()
                + run.result().path("toolLagMs").path("measured").path("sendLag").path("count").asLong()).isEqualTo(90);
        assertThat(run.result().path("cpuByPhase").path("first").path("tool").asDouble()).isPositive();
        assertThat(run.out()).contains("send lag, first").contains("cpu in the first 0.5 s");
        assertPng(run.dir().resolve("latency-over-time.png"), 840);
        assertPng(run.dir().resolve("latency-distribution.png"), 420);
        assertThat(Files.readString(run.dir().resolve("ack.hgrm"))).contains("Percentile");

        Run again = run("steady-again", "--target", server.base().toString(), "--pairs", "3", "--rate", "30",
                "--duration", "1s", "--tool-warmup", "0");
        assertThat(again.out()).contains("pairs: 3 reused, 0 created");
        // no warm-up of its own: said so, in the summary and in result.json
        assertThat(again.out()).contains("tool warm-up: off (--tool-warmup 0)");
        assertThat(again.result().path("toolWarmup").path("sends").asLong()).isZero();
        assertThat(again.result().path("toolWarmup").path("seconds").asDouble()).isZero();
        assertCleanVerification(again, 30);
    }

    @Test
    void rampRaisesTheRateStepByStepAndReportsTheHighestSustained() throws IOException {
        Run run = run("ramp", "ramp", "--target", server.base().toString(), "--pairs", "3", "--rate", "20", "--step", "20",
                "--max-rate", "60", "--duration", "2s", "--warmup", "500ms", "--p99", "5s", "--tool-warmup", "0");

        assertThat(run.status()).as(run.out()).isEqualTo(LoadTool.CLEAN);
        JsonNode ramp = run.result().path("ramp");
        assertThat(ramp.path("steps").size()).isEqualTo(3);
        assertThat(ramp.path("steps").get(2).path("offered").asDouble()).isEqualTo(60);
        assertThat(ramp.path("highestSustainedRate").asDouble()).isEqualTo(60);
        assertThat(ramp.path("reachedMaxRate").asBoolean()).isTrue();
        assertThat(run.out()).contains("highest sustained rate: 60 msg/s");
        assertCleanVerification(run, 2 * (20 + 40 + 60));
        assertPng(run.dir().resolve("ramp.png"), 840);
    }

    @Test
    void idleHoldsTheConnectionsAndReportsServerMemoryPerConnection() throws IOException {
        Run run = run("idle", "idle", "--pairs", "3", "--connections", "60", "--duration", "2s");

        assertThat(run.status()).as(run.out()).isEqualTo(LoadTool.CLEAN);
        JsonNode idle = run.result().path("idle");
        assertThat(idle.path("opened").asInt()).isEqualTo(60);
        assertThat(idle.path("stillOpenAfterHold").asInt()).isEqualTo(60);
        assertThat(idle.path("memorySource").asString()).isEqualTo("child process");
        assertThat(idle.path("before").path("residentBytes").asLong()).isGreaterThan(50L << 20);
        assertThat(idle.path("before").path("heapBytes").asLong()).isPositive();
        assertThat(idle.path("perConnection").path("residentBytes").isNumber()).isTrue();
        assertThat(idle.path("connectMs").path("count").asLong()).isEqualTo(60);
        assertThat(run.out()).contains("per connection").contains("resident (VmRSS)");
        assertPng(run.dir().resolve("memory.png"), 840);
        assertPng(run.dir().resolve("latency-distribution.png"), 420);
    }

    @Test
    void crashKillsTheServerUnderLoadAndNothingAckedIsLostOrDuplicated() throws IOException {
        Run run = run("crash", "crash", "--pairs", "3", "--rate", "30", "--duration", "4s", "--kills", "2", "--seed", "7", "--tool-warmup", "0");

        JsonNode crash = run.result().path("crash");
        assertThat(crash.path("killCount").asInt()).isEqualTo(2);
        assertThat(crash.path("kills").get(1).path("newPid").asLong())
                .isNotEqualTo(crash.path("kills").get(0).path("newPid").asLong());
        JsonNode v = run.result().path("verification");
        assertThat(run.status()).as(run.out()).isEqualTo(LoadTool.CLEAN);
        assertThat(v.path("clean").asBoolean()).isTrue();
        assertThat(v.path("lost").asLong()).isZero();
        assertThat(v.path("duplicated").asLong()).isZero();
        assertThat(v.path("undelivered").asLong()).isZero();
        assertThat(v.path("acked").asLong()).isEqualTo(v.path("sent").asLong()).isGreaterThan(100);
        assertThat(run.result().path("connections").path("reconnects").asLong()).isGreaterThanOrEqualTo(2 * 6);
        assertThat(run.out()).contains("kill -9 #2");
        assertPng(run.dir().resolve("latency-over-time.png"), 840);
        JsonNode target = run.result().path("target");
        assertThat(target.path("dataDirRemoved").asBoolean()).isTrue();
        assertThat(Path.of(target.path("dataDir").asString()).getParent()).as("the started server's temp folder is removed")
                .doesNotExist();
    }
}
