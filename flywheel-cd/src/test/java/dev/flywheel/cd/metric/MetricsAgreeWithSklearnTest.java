package dev.flywheel.cd.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.MetricDirection;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every metric against scikit-learn's value on the same data (fixtures: src/test/fixtures/make_metric_fixtures.py). */
class MetricsAgreeWithSklearnTest {

    @TestFactory
    List<DynamicTest> everyMetricMatchesSklearnOnEveryCase() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/metrics/sklearn_metrics.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            double[] labels = doubles(c.get("labels"));
            double[] flat = doubles(c.get("predictions"));
            float[] values = new float[flat.length];
            for (int i = 0; i < flat.length; i++) {
                values[i] = (float) flat[i];
            }
            Predictions p = new Predictions(labels.length, c.get("width").asInt(), values);
            double threshold = c.path("threshold").asDouble(0.5);
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("expected").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Metric metric = Metric.named(e.getKey()).orElseThrow();
                double expected = e.getValue().asDouble();
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + ": " + e.getKey(), () ->
                        assertThat(metric.compute(labels, p, threshold)).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))))));
            }
        }
        assertThat(tests).hasSizeGreaterThan(40);
        return tests;
    }

    @Test
    void namesAndAliasesResolveWithTheirDirection() {
        assertThat(Metric.named("AUC")).contains(ClassificationMetric.ROC_AUC);
        assertThat(Metric.named("logloss")).contains(ClassificationMetric.LOG_LOSS);
        assertThat(Metric.named("f1_score")).contains(ClassificationMetric.F1);
        assertThat(Metric.named("r2")).contains(RegressionMetric.R2);
        assertThat(Metric.named("pinball")).isEmpty();
        assertThat(Metric.names()).containsExactly("rmse", "mae", "mape", "r2", "accuracy", "precision", "recall", "f1", "roc_auc", "log_loss");
        for (String name : Metric.names()) {
            Metric m = Metric.named(name).orElseThrow();
            assertThat(m.direction()).as(name + " agrees with MetricDirection's reading of its name").isEqualTo(MetricDirection.of(name));
        }
    }

    @Test
    void classificationMetricsRefuseLabelsThatAreNotClassesAndAucNeedsBothClasses() {
        Predictions p = new Predictions(3, 1, new float[]{0.2f, 0.7f, 0.9f});
        assertThatThrownBy(() -> ClassificationMetric.ACCURACY.compute(new double[]{0, 1, 16}, p, 0.5))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("row 2").hasMessageContaining("label 16.0")
                .hasMessageContaining("regression metric");
        assertThatThrownBy(() -> ClassificationMetric.ROC_AUC.compute(new double[]{1, 1, 1}, p, 0.5))
                .hasMessageContaining("ROC AUC needs rows of class 1 and of the other classes");
        assertThatThrownBy(() -> RegressionMetric.RMSE.compute(new double[0], new Predictions(0, 1, new float[0]), 0.5))
                .hasMessageContaining("no rows");
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
