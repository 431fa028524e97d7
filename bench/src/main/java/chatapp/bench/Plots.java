package chatapp.bench;

import chatapp.bench.Traffic.Tick;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG plots of a run, drawn with XChart. */
final class Plots {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 420;

    private Plots() {
    }

    /**
     * Latency (p50, p99 and max of each second, log scale) and throughput over time; kills of
     * crash mode as markers on the top edge.
     */
    static void overTime(Path file, String title, List<Tick> ticks, List<Double> kills) throws IOException {
        XYChart latency = chart(title + ": latency of the acks and messages that arrived in each second",
                "seconds since start", "ms (log scale)");
        latency.getStyler().setYAxisLogarithmic(true);
        double top = 1;
        double bottom = Double.MAX_VALUE;
        List<Line> lines = List.of(new Line("ack p50", Tick::ackP50), new Line("ack p99", Tick::ackP99),
                new Line("end-to-end p50", Tick::e2eP50), new Line("end-to-end p99", Tick::e2eP99),
                new Line("end-to-end max", Tick::e2eMax));
        for (Line line : lines) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (Tick t : ticks) {
                double v = line.value().applyAsDouble(t);
                x.add(t.at());
                if (Double.isFinite(v) && v > 0) {
                    y.add(v);
                    top = Math.max(top, v);
                    bottom = Math.min(bottom, v);
                } else {
                    y.add(Double.NaN); // a gap: nothing arrived in that second
                }
            }
            if (y.stream().anyMatch(Double::isFinite)) {
                XYSeries series = latency.addSeries(line.name(), x, y);
                series.setMarker(SeriesMarkers.NONE);
                if (line.name().startsWith("end-to-end")) {
                    series.setLineStyle(SeriesLines.DASH_DASH);
                }
            }
        }
        labelEveryDigit(latency, bottom, top);
        if (!kills.isEmpty()) {
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < kills.size(); i++) {
                y.add(top);
            }
            XYSeries k = latency.addSeries("kill -9", kills, y);
            k.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            k.setMarker(SeriesMarkers.TRIANGLE_DOWN);
        }
        if (latency.getSeriesCollection().isEmpty()) {
            latency.addSeries("no latencies recorded", new double[] {0}, new double[] {1});
        }
        XYChart rate = chart(title + ": messages per second", "seconds since start", "messages/s");
        addLine(rate, "offered", ticks, Tick::offeredRate);
        addLine(rate, "acked", ticks, Tick::ackRate);
        addLine(rate, "delivered", ticks, Tick::deliveryRate);
        BitmapEncoder.saveBitmap(List.of(latency, rate), 2, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The latency distribution by percentile (HdrHistogram's percentile plot), log-log. */
    static void distribution(Path file, String title, List<String> names, List<Histogram> histograms) throws IOException {
        XYChart chart = chart(title + ": latency by percentile", "percentile", "ms (log scale)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(true);
        chart.setCustomXAxisTickLabelsFormatter(x -> percentileLabel(x));
        double bottom = Double.MAX_VALUE;
        double top = 0;
        for (int i = 0; i < names.size(); i++) {
            Histogram h = histograms.get(i);
            if (h.getTotalCount() == 0) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo();
                if (p >= 100) {
                    break;
                }
                x.add(1 / (1 - p / 100));
                y.add(Math.max(0.001, v.getValueIteratedTo() / 1000.0));
            }
            x.add(x.isEmpty() ? 1 : Math.max(x.getLast() * 2, 10));
            y.add(Math.max(0.001, h.getMaxValue() / 1000.0));
            chart.addSeries(names.get(i) + " (n=" + h.getTotalCount() + ")", x, y).setMarker(SeriesMarkers.NONE);
            bottom = Math.min(bottom, Math.max(0.001, h.getMinValue() / 1000.0));
            top = Math.max(top, h.getMaxValue() / 1000.0);
        }
        labelEveryDigit(chart, bottom, top);
        if (chart.getSeriesCollection().isEmpty()) {
            chart.addSeries("no latencies recorded", new double[] {1}, new double[] {1});
        }
        BitmapEncoder.saveBitmap(List.of(chart), 1, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Ramp: p99 of each step against its offered rate, the bound, and achieved against offered. */
    static void ramp(Path file, List<double[]> steps, double boundMs) throws IOException {
        // each step: {offered, ackP99, e2eP99, ackRate}
        XYChart p99 = chart("ramp: p99 by offered rate", "offered messages/s", "ms (log scale)");
        p99.getStyler().setYAxisLogarithmic(true);
        List<Double> rates = new ArrayList<>();
        List<Double> ack = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> achieved = new ArrayList<>();
        List<Double> bound = new ArrayList<>();
        for (double[] s : steps) {
            rates.add(s[0]);
            ack.add(Math.max(0.001, s[1]));
            e2e.add(Math.max(0.001, s[2]));
            achieved.add(s[3]);
            bound.add(boundMs);
        }
        p99.addSeries("ack p99", rates, ack);
        p99.addSeries("end-to-end p99", rates, e2e);
        p99.addSeries("bound", rates, bound).setMarker(SeriesMarkers.NONE);
        double low = boundMs;
        double high = boundMs;
        for (int i = 0; i < ack.size(); i++) {
            low = Math.min(low, Math.min(ack.get(i), e2e.get(i)));
            high = Math.max(high, Math.max(ack.get(i), e2e.get(i)));
        }
        labelEveryDigit(p99, low, Double.isFinite(high) ? high : boundMs);
        XYChart rate = chart("ramp: acked by offered rate", "offered messages/s", "acked messages/s");
        rate.addSeries("acked", rates, achieved);
        rate.addSeries("offered", rates, rates).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(List.of(p99, rate), 2, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Idle: open connections and the server's resident memory over time. */
    static void idle(Path file, List<double[]> samples) throws IOException {
        // each sample: {seconds, open connections, resident MiB}
        List<Double> t = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (double[] s : samples) {
            t.add(s[0]);
            open.add(s[1]);
            rss.add(s[2]);
        }
        XYChart connections = chart("idle: open WebSocket connections", "seconds since start", "connections");
        connections.addSeries("open", t, open).setMarker(SeriesMarkers.NONE);
        XYChart memory = chart("idle: server resident memory (VmRSS)", "seconds since start", "MiB");
        if (rss.stream().anyMatch(v -> v > 0)) {
            memory.addSeries("VmRSS", t, rss).setMarker(SeriesMarkers.NONE);
        } else {
            memory.addSeries("not available (remote server)", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(List.of(connections, memory), 2, 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** On a log axis that spans less than two decades, label 2, 3, ... 9 as well as the decades. */
    private static void labelEveryDigit(XYChart chart, double min, double max) {
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(min > 0 && max / min < 100));
    }

    private record Line(String name, ToDoubleFunction<Tick> value) {
    }

    private static void addLine(XYChart chart, String name, List<Tick> ticks, ToDoubleFunction<Tick> f) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Tick t : ticks) {
            x.add(t.at());
            y.add(f.applyAsDouble(t));
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisDecimalPattern("#,##0.###").setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    /** {@code x = 1 / (1 - p)} back to a percentile label: 10 is 90%, 1000 is 99.9%. */
    static String percentileLabel(double x) {
        double p = 100 * (1 - 1 / x);
        if (p <= 0) {
            return "0%";
        }
        String s = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}
