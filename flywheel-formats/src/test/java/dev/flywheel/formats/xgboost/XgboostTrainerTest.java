package dev.flywheel.formats.xgboost;

import dev.flywheel.formats.BikeSharing;
import dev.flywheel.formats.FeatureBatch;
import dev.flywheel.formats.LoadedModel;
import dev.flywheel.formats.ModelFormats;
import dev.flywheel.formats.Predictions;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.model.Feature;
import dev.flywheel.sdk.model.Model;
import dev.flywheel.sdk.model.ModelSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Classifiers on bike-sharing hours: is demand above 200 (binary), and low / medium / high (3 classes). */
class XgboostTrainerTest {
    private static final Map<String, Object> PARAMS = Map.of("max_depth", 4, "eta", 0.3, "seed", 1);
    private static BikeSharing data;
    private static ModelSignature inputsOnly;

    @BeforeAll
    static void loadData() {
        data = BikeSharing.load();
        inputsOnly = new ModelSignature(BikeSharing.signature().inputs(), List.of());
    }

    @Test
    void binaryClassifierPredictsOneProbabilityPerRowAndBeatsTheMajorityClass() {
        Model model = XgboostTrainer.binaryClassification(PARAMS, 40)
                .fit(data.trainX(), busy(data.trainY()), inputsOnly, "busy_hour");
        assertThat(model.signature().outputs()).extracting(Feature::name).containsExactly("probability");
        float[] truth = busy(data.testY());
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(model.content(), "busy_hour", model.signature())) {
            Predictions p = loaded.predict(data.testX());
            assertThat(p.width()).isEqualTo(1);
            int correct = 0;
            int positives = 0;
            for (int r = 0; r < p.rows(); r++) {
                assertThat(p.get(r, 0)).isBetween(0f, 1f);
                correct += (p.get(r, 0) > 0.5f ? 1f : 0f) == truth[r] ? 1 : 0;
                positives += (int) truth[r];
            }
            double majority = Math.max(positives, p.rows() - positives) / (double) p.rows();
            assertThat(correct / (double) p.rows()).isGreaterThan(0.9).isGreaterThan(majority + 0.2);
        }
    }

    @Test
    void multiClassClassifierPredictsOneProbabilityPerClassSummingToOne() {
        Model model = XgboostTrainer.multiClassification(3, PARAMS, 30)
                .fit(data.trainX(), demandLevel(data.trainY()), inputsOnly, "demand_level");
        assertThat(model.signature().outputs()).extracting(Feature::name).containsExactly("p_0", "p_1", "p_2");
        float[] truth = demandLevel(data.testY());
        try (LoadedModel loaded = ModelFormats.load().get("xgboost").load(model.content(), "demand_level", model.signature())) {
            Predictions p = loaded.predict(data.testX());
            assertThat(p.width()).isEqualTo(3);
            int correct = 0;
            for (int r = 0; r < p.rows(); r++) {
                assertThat(p.get(r, 0) + p.get(r, 1) + p.get(r, 2)).isCloseTo(1f, within(1e-5f));
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = p.get(r, c) > p.get(r, best) ? c : best;
                }
                correct += best == truth[r] ? 1 : 0;
            }
            assertThat(correct / (double) p.rows()).isGreaterThan(0.8);
        }
    }

    @Test
    void binaryLabelsOtherThanZeroOrOneAreRejectedWithTheirRow() {
        assertThatThrownBy(() -> XgboostTrainer.binaryClassification(PARAMS, 5)
                .fit(data.trainX(), data.trainY(), inputsOnly, "busy_hour"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("at row 0")
                .hasMessageContaining("is not 0 or 1");
    }

    @Test
    void classIndexOutOfRangeIsRejected() {
        float[] labels = demandLevel(data.trainY());
        labels[7] = 3;
        assertThatThrownBy(() -> XgboostTrainer.multiClassification(3, PARAMS, 5)
                .fit(data.trainX(), labels, inputsOnly, "demand_level"))
                .hasMessageContaining("Label 3.0 at row 7")
                .hasMessageContaining("not a class index in 0..2");
    }

    @Test
    void labelCountMustMatchRowCount() {
        FeatureBatch x = BikeSharing.head(data.trainX(), 10);
        assertThatThrownBy(() -> XgboostTrainer.regression(PARAMS, 5).fit(x, new float[9], inputsOnly, "m"))
                .hasMessageContaining("got 10 training rows but 9 labels");
    }

    @Test
    void signatureInputCountMustMatchTrainingColumns() {
        FeatureBatch x = BikeSharing.head(data.trainX(), 10);
        assertThatThrownBy(() -> XgboostTrainer.regression(PARAMS, 5)
                .fit(x, new float[10], ModelSignature.regression(List.of("hr", "temp")), "m"))
                .hasMessageContaining("has 12 columns but the signature declares 2 inputs [hr, temp]");
    }

    @Test
    void conflictingObjectiveInParamsIsRejected() {
        assertThatThrownBy(() -> XgboostTrainer.binaryClassification(Map.of("objective", "reg:squarederror"), 5))
                .hasMessageContaining("params set objective 'reg:squarederror' but this trainer uses 'binary:logistic'");
        assertThatThrownBy(() -> XgboostTrainer.regression(Map.of("objective", "multi:softmax"), 5))
                .hasMessageContaining("not a regression objective");
    }

    @Test
    void unknownXgboostParameterValueIsReportedAsInvalidArgument() {
        FeatureBatch x = BikeSharing.head(data.trainX(), 50);
        assertThatThrownBy(() -> XgboostTrainer.regression(Map.of("max_depth", "deep"), 2)
                .fit(x, new float[50], inputsOnly, "m"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("XGBoost could not train model 'm'");
    }

    private static float[] busy(float[] counts) {
        float[] y = new float[counts.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = counts[i] > 200 ? 1f : 0f;
        }
        return y;
    }

    private static float[] demandLevel(float[] counts) {
        float[] y = new float[counts.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = counts[i] < 60 ? 0f : counts[i] < 250 ? 1f : 2f;
        }
        return y;
    }
}
