package io.stocktracker.launcher.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's samples as one PNG: a panel per figure, minutes on the shared x axis. */
final class SoakChart {
    private SoakChart() {}

    static void write(List<SoakSample> samples, String title, Path png) throws IOException {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("minutes"));
        plot.add(panel(samples, "heap after GC (MB)", s -> s.heapAfterGcBytes() / 1e6));
        plot.add(panel(samples, "RSS (MB)", s -> s.rssKb() / 1e3));
        plot.add(panel(samples, "threads", SoakSample::threads));
        plot.add(panel(samples, "file descriptors", SoakSample::fileDescriptors));
        plot.add(panel(samples, "Redis used (MB)", s -> s.redisUsedMemoryBytes() / 1e6));
        plot.add(panel(samples, "consumer lag", SoakSample::consumerLag));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 1400);
    }

    private static XYPlot panel(List<SoakSample> samples, String name, ToDoubleFunction<SoakSample> value) {
        XYSeries series = new XYSeries(name);
        for (SoakSample s : samples) {
            double v = value.applyAsDouble(s);
            if (v >= 0) {
                series.add(s.minutes(), v);
            }
        }
        NumberAxis axis = new NumberAxis(name);
        axis.setAutoRangeIncludesZero(true);
        return new XYPlot(new XYSeriesCollection(series), null, axis, new XYLineAndShapeRenderer(true, true));
    }
}
