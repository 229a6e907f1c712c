package dev.flywheel.formats.xgboost.internal;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ModelJsonTest {
    private static String json;
    private static byte[] ubj;

    @BeforeAll
    static void trainSmallModel() throws XGBoostError {
        Map<String, Object> params = new HashMap<>(Map.of("max_depth", 3, "nthread", 1));
        Booster booster = train(params);
        json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
        ubj = booster.toByteArray("ubj");
        booster.dispose();
    }

    @Test
    void jsonIsToldApartFromUbjsonWhichAlsoOpensWithABrace() {
        assertThat(ubj[0]).isEqualTo((byte) '{');
        assertThat(ModelJson.looksLikeJson(ubj)).isFalse();
        assertThat(ModelJson.looksLikeJson(json.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ModelJson.looksLikeJson("  \n{ \"a\": 1}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ModelJson.looksLikeJson("binf".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void gbtreeRegressorIsSupportedWithItsTreesAndFeatures() {
        ModelJson.Result result = ModelJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOfSatisfying(ModelJson.Result.Supported.class, s -> {
            assertThat(s.ensemble().trees()).isEqualTo(10);
            assertThat(s.ensemble().features()).isEqualTo(4);
            assertThat(s.ensemble().width()).isEqualTo(1);
        });
    }

    @Test
    void categoricalSplitWithoutCategoriesIsInvalidWithTheTreeNamed() {
        String categorical = json.replaceFirst("\"split_type\":\\[0", "\"split_type\":[1");
        assertThat(categorical).isNotEqualTo(json);
        assertInvalid(categorical, "tree 0 node 0 has split_type 1 but no categories");
    }

    @Test
    void categoricalFeatureTypeIsUnsupported() {
        assertUnsupported(json.replaceFirst("\"feature_types\":\\[\\]", "\"feature_types\":[\"q\",\"c\",\"q\",\"q\"]"),
                "categorical features");
    }

    @Test
    void unknownObjectiveIsUnsupportedByName() {
        assertUnsupported(json.replace("\"reg:squarederror\"", "\"survival:cox\""), "objective 'survival:cox'");
    }

    @Test
    void childOutsideTheTreeIsInvalidNotAWrongAnswer() {
        String broken = json.replaceFirst("\"left_children\":\\[1,", "\"left_children\":[99,");
        assertThat(broken).isNotEqualTo(json);
        assertInvalid(broken, "tree 0 node 0 has children 99");
    }

    @Test
    void splitOnFeatureBeyondTheModelIsInvalid() {
        String broken = json.replaceFirst("\"split_indices\":\\[\\d+,", "\"split_indices\":[7,");
        assertInvalid(broken, "splits on feature 7 but the model has 4 features");
    }

    @Test
    void truncatedJsonIsUnsupportedSoXgboostItselfCanReportIt() {
        assertUnsupported(json.substring(0, json.length() / 2), "its JSON could not be read");
    }

    @Test
    void dartBoosterIsUnsupported() throws XGBoostError {
        Booster dart = train(new HashMap<>(Map.of("booster", "dart", "rate_drop", 0.5, "nthread", 1)));
        String dartJson = new String(dart.toByteArray("json"), StandardCharsets.UTF_8);
        dart.dispose();
        assertUnsupported(dartJson, "booster is 'dart'");
    }

    private static void assertInvalid(String model, String reason) {
        assertThat(ModelJson.read(model.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ModelJson.Result.Invalid.class,
                        u -> assertThat(u.reason()).contains(reason));
    }

    private static void assertUnsupported(String model, String reason) {
        assertThat(ModelJson.read(model.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ModelJson.Result.Unsupported.class,
                        u -> assertThat(u.reason()).contains(reason));
    }

    private static Booster train(Map<String, Object> params) throws XGBoostError {
        Random random = new Random(5);
        int rows = 300;
        float[] x = new float[rows * 4];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = random.nextFloat();
            }
            y[r] = 3 * x[r * 4] - x[r * 4 + 2] + random.nextFloat() * 0.1f;
        }
        DMatrix matrix = new DMatrix(x, rows, 4, Float.NaN);
        try {
            matrix.setLabel(y);
            return XGBoost.train(matrix, params, 10, Map.of(), null, null);
        } finally {
            matrix.dispose();
        }
    }
}
