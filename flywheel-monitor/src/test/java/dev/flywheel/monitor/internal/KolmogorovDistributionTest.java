package dev.flywheel.monitor.internal;

import dev.flywheel.monitor.ScipyFixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KolmogorovDistributionTest {

    @Test
    void survivalFunctionAgreesWithScipysKstwoOverAGridOfSizesAndDistances() {
        for (ScipyFixtures.KolmogorovPoint point : ScipyFixtures.kolmogorov()) {
            double sf = KolmogorovDistribution.sf(point.d(), point.n());
            assertThat(Math.abs(sf - point.sf())).as("kstwo.sf(%s, %s): got %s, SciPy %s", point.d(), point.n(), sf,
                    point.sf()).isLessThanOrEqualTo(1e-9);
        }
    }
}
