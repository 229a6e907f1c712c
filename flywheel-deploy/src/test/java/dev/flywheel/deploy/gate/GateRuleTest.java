package dev.flywheel.deploy.gate;

import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateRuleTest {
    private final DeployIfBetter.Config config = new DeployIfBetter.Config("rmse", "cnt", 100, 2.0);

    @Test
    void firstVersionUnderTheThresholdIsAcceptedWithoutProduction() {
        GateDecision d = GateRule.decide("bike", config, 1, 80, 0, Double.NaN);
        assertThat(d.accepted()).isTrue();
        assertThat(d.reason()).contains("rmse 80.0000 <= threshold 100.0000").contains("no version is in production");
        assertThat(d.productionValue()).isNaN();
    }

    @Test
    void candidateOverTheThresholdIsRejectedEvenWithoutProduction() {
        GateDecision d = GateRule.decide("bike", config, 1, 120, 0, Double.NaN);
        assertThat(d.accepted()).isFalse();
        assertThat(d.reason()).isEqualTo("rmse 120.0000 > threshold 100.0000");
        assertThat(d.toString()).startsWith("REJECTED bike v1");
    }

    @Test
    void candidateMustBeatProductionByTheMargin() {
        assertThat(GateRule.decide("bike", config, 2, 79, 1, 80).accepted()).isFalse();
        assertThat(GateRule.decide("bike", config, 2, 79, 1, 80).reason()).contains("short of the required margin 2.0000");
        assertThat(GateRule.decide("bike", config, 2, 78, 1, 80).accepted()).isTrue();
        assertThat(GateRule.decide("bike", config, 2, 90, 1, 80).reason()).contains("is worse than production v1 (80.0000) by 10.0000");
    }

    @Test
    void productionVersionItselfIsNotRedeployed() {
        assertThat(GateRule.decide("bike", config, 3, 50, 3, 50).reason()).isEqualTo("version 3 is already in production");
    }

    @Test
    void badConfigsAreRejectedWithWhatIsWrong() {
        assertThatThrownBy(() -> new DeployIfBetter.Config("accuracy", "cnt", 1, 0)).isInstanceOf(FlywheelException.class)
                .hasMessageContaining("metric must be one of").hasMessageContaining("accuracy");
        assertThatThrownBy(() -> new DeployIfBetter.Config("rmse", " ", 1, 0)).hasMessageContaining("labelColumn");
        assertThatThrownBy(() -> new DeployIfBetter.Config("rmse", "cnt", 1, -1)).hasMessageContaining("minImprovement >= 0");
    }
}
