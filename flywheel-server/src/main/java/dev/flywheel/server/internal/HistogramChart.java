package dev.flywheel.server.internal;

import dev.flywheel.runtime.MonitorReport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One feature's reference and current histograms drawn as SVG bars over the reference's bins. Bars are shares of
 * each side's rows, so a window of 50 requests compares with a training set of 10,000.
 */
public record HistogramChart(String feature, List<Bar> bars, String low, String high, long referenceRows, long currentRows) {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 150;
    public static final int PLOT_HEIGHT = 130;

    /** A bin: its range and counts, and the two bars' geometry (x, y, height; both bars have {@code width}). */
    public record Bar(String range, long reference, long current, int refX, int refY, int refHeight, int curX, int curY, int curHeight,
                      int width) {
    }

    static HistogramChart of(MonitorReport.FeatureHistogram h) {
        long refRows = Arrays.stream(h.reference()).sum();
        long curRows = Arrays.stream(h.current()).sum();
        int bins = h.reference().length;
        double maxShare = 0;
        for (int i = 0; i < bins; i++) {
            maxShare = Math.max(maxShare, Math.max(share(h.reference()[i], refRows), share(h.current()[i], curRows)));
        }
        double binWidth = (double) WIDTH / bins;
        int barWidth = Math.max(1, (int) Math.floor(binWidth / 2) - 1);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            int x = (int) Math.round(i * binWidth);
            int rh = height(share(h.reference()[i], refRows), maxShare);
            int ch = height(share(h.current()[i], curRows), maxShare);
            bars.add(new Bar(number(h.edges()[i]) + " to " + number(h.edges()[i + 1]), h.reference()[i], h.current()[i],
                    x, PLOT_HEIGHT - rh, rh, x + barWidth + 1, PLOT_HEIGHT - ch, ch, barWidth));
        }
        return new HistogramChart(h.feature(), bars, number(h.edges()[0]), number(h.edges()[bins]), refRows, curRows);
    }

    private static int height(double share, double max) {
        return max <= 0 ? 0 : (int) Math.round(share / max * PLOT_HEIGHT);
    }

    private static double share(long count, long rows) {
        return rows == 0 ? 0 : (double) count / rows;
    }

    private static String number(double v) {
        return Show.number(v);
    }
}
