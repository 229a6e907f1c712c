package dev.flywheel.server.internal;

import dev.flywheel.runtime.MonitorReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Drift histograms compare shares of each side's rows, so windows of any size are drawn on one scale. */
class HistogramChartTest {
    @Test
    void barsAreSharesOfEachSidesRowsScaledToTheTallest() {
        HistogramChart c = HistogramChart.of(new MonitorReport.FeatureHistogram("x1", new double[]{0, 0.5, 1},
                new long[]{1000, 3000}, new long[]{1, 1}));
        assertThat(c.referenceRows()).isEqualTo(4000);
        assertThat(c.currentRows()).isEqualTo(2);
        // shares: reference 0.25 and 0.75, current 0.5 and 0.5; the tallest (0.75) is the plot's full height
        assertThat(c.bars()).extracting(HistogramChart.Bar::refHeight).containsExactly(43, 130);
        assertThat(c.bars()).extracting(HistogramChart.Bar::curHeight).containsExactly(87, 87);
        assertThat(c.bars()).allSatisfy(b -> {
            assertThat(b.refY() + b.refHeight()).isEqualTo(HistogramChart.PLOT_HEIGHT);
            assertThat(b.curX()).isGreaterThan(b.refX());
            assertThat(b.curX() + b.width()).isLessThanOrEqualTo(HistogramChart.WIDTH);
        });
        assertThat(c.bars().getFirst().range()).isEqualTo("0 to 0.5000");
        assertThat(c.low()).isEqualTo("0");
        assertThat(c.high()).isEqualTo("1");
    }

    @Test
    void anEmptyWindowDrawsNoCurrentBarsInsteadOfDividingByZero() {
        HistogramChart c = HistogramChart.of(new MonitorReport.FeatureHistogram("x2", new double[]{0, 1, 2, 3},
                new long[]{5, 5, 0}, new long[]{0, 0, 0}));
        assertThat(c.bars()).extracting(HistogramChart.Bar::curHeight).containsOnly(0);
        assertThat(c.bars()).extracting(HistogramChart.Bar::refHeight).containsExactly(130, 130, 0);
    }
}
