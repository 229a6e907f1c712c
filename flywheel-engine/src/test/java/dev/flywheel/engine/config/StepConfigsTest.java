package dev.flywheel.engine.config;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.Step;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepConfigsTest {

    public static final class Train {
        public record Config(double eta, float ratio, Double boxed, int rounds, String name, List<Double> weights, Map<String, Double> priors) {
        }

        @Step(output = "model")
        public String train(Config config) {
            return config.toString();
        }
    }

    private static final Pipeline PIPELINE = Pipeline.named("p")
            .step(Train.class, new Train.Config(0.3, 0.5f, null, 10, "bike", List.of(1.0), Map.of("a", 1.0)))
            .build();

    private static Train.Config resolve(String key, String value) {
        return (Train.Config) StepConfigs.resolve(PIPELINE, Map.of(key, value)).config("train");
    }

    private static void assertRejected(String key, String value, String... fragments) {
        assertThatThrownBy(() -> resolve(key, value))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Parameter '" + key)
                .hasMessageContaining(fragments.length == 0 ? "" : fragments[0]);
    }

    @Test
    void finiteValuesOfEveryKindAreApplied() {
        assertThat(resolve("train.eta", "1e-3").eta()).isEqualTo(1e-3);
        assertThat(resolve("eta", "-1.5E300").eta()).isEqualTo(-1.5e300);
        assertThat(resolve("train.boxed", "2").boxed()).isEqualTo(2.0);
        assertThat(resolve("train.ratio", "3.4e38").ratio()).isEqualTo(3.4e38f);
        assertThat(resolve("train.weights", "[0.5, 2]").weights()).containsExactly(0.5, 2.0);
        assertThat(resolve("train.name", "\"null\"").name()).as("the text null, quoted").isEqualTo("null");
        assertThat(resolve("train.name", "nullable").name()).isEqualTo("nullable");
    }

    @Test
    void nonFiniteNumbersAreRejectedNamingTheParameter() {
        assertRejected("train.eta", "1e400", "is not a finite number for field 'eta'");
        assertRejected("eta", "-1e309", "is not a finite number");
        assertRejected("train.ratio", "1e39", "a float holds at most");
        assertRejected("train.boxed", "1e400", "not a finite number");
        assertRejected("train.boxed", "NaN", "not a finite number");
        assertRejected("train.boxed", "Infinity", "not a finite number");
        assertRejected("train.weights", "[1, 1e400]", "not a finite number");
        assertRejected("train.priors", "{\"a\": -1e999}", "not a finite number");
    }

    @Test
    void nullIsRejectedNamingTheParameter() {
        assertRejected("train.boxed", "null", "cannot set a field to null");
        assertRejected("eta", "null", "cannot set a field to null");
        assertRejected("train.name", "null", "quote it as JSON");
        assertRejected("train.weights", "null", "cannot set a field to null");
        assertRejected("train.weights", "[1, null]", "holds null");
        assertRejected("train.priors", "{\"a\": null}", "holds null");
    }
}
