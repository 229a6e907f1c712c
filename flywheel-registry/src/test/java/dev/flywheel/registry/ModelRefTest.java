package dev.flywheel.registry;

import dev.flywheel.sdk.model.MetricDirection;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRefTest {
    @Test
    void numbersAliasesAndStagesParseToTheirKinds() {
        assertThat(ModelRef.parse("bike", "3")).isEqualTo(ModelRef.version("bike", 3));
        assertThat(ModelRef.parse("bike", "@champion")).isEqualTo(ModelRef.alias("bike", "champion"));
        assertThat(ModelRef.parse("bike", "Production")).isEqualTo(ModelRef.stage("bike", Stage.PRODUCTION));
    }

    @Test
    void versionZeroAndGarbageAreInvalidArguments() {
        assertThatThrownBy(() -> ModelRef.parse("bike", "0")).hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> ModelRef.parse("bike", "v3"))
                .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'v3' is not a version of model 'bike'");
        assertThatThrownBy(() -> Stage.parse("prod")).hasMessageContaining("none, staging, production, archived");
    }

    @Test
    void metricDirectionsComeFromTheWordsOfTheName() {
        assertThat(MetricDirection.of("rmse")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirection.of("test_mae")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirection.of("logloss")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(MetricDirection.of("val-accuracy")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirection.of("auc")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirection.of("r2")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(MetricDirection.of("rows")).isEqualTo(MetricDirection.UNKNOWN);
    }
}
