package chatapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chatapp.bench.Traffic.Tick;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The plots are drawn from any run, also one with seconds in which nothing arrived (a crash) or
 * with no latencies at all. They land in target/plots-test to be looked at.
 */
class PlotsTest {

    private final Path dir = Path.of("target", "plots-test");

    private static BufferedImage png(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file.toString()).isNotNull();
        return image;
    }

    @Test
    void latencyOverTimeWithAnOutageAndKillMarkers() throws IOException {
        Files.createDirectories(dir);
        List<Tick> ticks = new ArrayList<>();
        for (int s = 1; s <= 30; s++) {
            boolean down = s >= 10 && s < 18;
            double base = s == 18 ? 8000 : 3 + (s % 5);
            ticks.add(new Tick(s, 100, down ? 0 : 100, down ? 0 : 100, down ? 100 * (s - 9) : 0, down ? 0 : 100,
                    down ? Double.NaN : base, down ? Double.NaN : base * 3, down ? Double.NaN : base * 4, down ? 0 : 100,
                    down ? Double.NaN : base + 1, down ? Double.NaN : base * 3 + 1, down ? Double.NaN : base * 5, 20));
        }

        Plots.overTime(dir.resolve("over-time.png"), "crash", ticks, List.of(9.5, 22.0));

        BufferedImage image = png(dir.resolve("over-time.png"));
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(840);
    }

    @Test
    void distributionByPercentileAndEmptyRuns() throws IOException {
        Files.createDirectories(dir);
        Histogram ack = new Histogram(3);
        Histogram e2e = new Histogram(3);
        for (int i = 1; i <= 10_000; i++) {
            ack.recordValue(1000 + i % 3000);
            e2e.recordValue(1500 + i % 4000 + (i % 1000 == 0 ? 40_000 : 0));
        }

        Plots.distribution(dir.resolve("distribution.png"), "steady", List.of("ack", "end-to-end"), List.of(ack, e2e));
        Plots.distribution(dir.resolve("empty.png"), "steady", List.of("ack"), List.of(new Histogram(3)));
        Plots.overTime(dir.resolve("empty-over-time.png"), "steady", List.of(), List.of());

        assertThat(png(dir.resolve("distribution.png")).getHeight()).isEqualTo(420);
        png(dir.resolve("empty.png"));
        png(dir.resolve("empty-over-time.png"));
    }

    @Test
    void percentileAxisLabels() {
        assertThat(Plots.percentileLabel(1)).isEqualTo("0%");
        assertThat(Plots.percentileLabel(10)).isEqualTo("90%");
        assertThat(Plots.percentileLabel(100)).isEqualTo("99%");
        assertThat(Plots.percentileLabel(1000)).isEqualTo("99.9%");
        assertThat(Plots.percentileLabel(10000)).isEqualTo("99.99%");
    }
}
