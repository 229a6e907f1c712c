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
    void theOneWordFormNamesAVersionAStageOrAnAliasAndABareNameMeansProduction() {
        assertThat(ModelRef.parse("bike")).isEqualTo(ModelRef.stage("bike", Stage.PRODUCTION));
        assertThat(ModelRef.parse("bike:3")).isEqualTo(ModelRef.version("bike", 3));
        assertThat(ModelRef.parse(" bike:staging ")).isEqualTo(ModelRef.stage("bike", Stage.STAGING));
        assertThat(ModelRef.parse("bike@champion")).isEqualTo(ModelRef.alias("bike", "champion"));
        assertThat(ModelRef.parse("bike@a:b")).as("an alias may hold a colon").isEqualTo(ModelRef.alias("bike", "a:b"));
        for (String bad : new String[]{"", "  ", ":3", "@champion", "bike:", "bike:v3", "bike:0"}) {
            assertThatThrownBy(() -> ModelRef.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(FlywheelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> ModelRef.parse(":3")).hasMessageContaining("NAME, NAME:VERSION, NAME:STAGE or NAME@ALIAS");
    }

    @Test
    void everyReferenceWritesTheSelectorThatParsesBackToIt() {
        java.util.List<ModelRef> refs = new java.util.ArrayList<>(java.util.List.of(ModelRef.version("bike", 1),
                ModelRef.version("bike", Integer.MAX_VALUE), ModelRef.alias("bike", "champion")));
        for (Stage s : Stage.values()) {
            refs.add(ModelRef.stage("bike", s));
        }
        for (ModelRef ref : refs) {
            assertThat(ModelRef.parse("bike", ref.selector())).as(ref.selector()).isEqualTo(ref);
            assertThat(ModelRef.parse("bike" + (ref instanceof ModelRef.Alias ? "" : ":") + ref.selector())).isEqualTo(ref);
        }
        assertThat(ModelRef.version("bike", 3).describe()).isEqualTo("version 3");
        assertThat(ModelRef.stage("bike", Stage.PRODUCTION).describe()).isEqualTo("production");
        assertThat(ModelRef.alias("bike", "champion").describe()).isEqualTo("@champion");
        assertThat(ModelRef.aliasName("@champion")).isEqualTo("champion");
        assertThat(ModelRef.aliasName("champion")).isEqualTo("champion");
        assertThat(ModelRef.aliasSelector("champion")).isEqualTo("@champion");
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
