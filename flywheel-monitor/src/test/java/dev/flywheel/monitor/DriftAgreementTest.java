package dev.flywheel.monitor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every drift number agrees with SciPy/NumPy on the same data to 1e-6 (absolute, or relative above 1): KS statistic
 * and p-value, normed Wasserstein, chi-squared and its p-value, Z and its p-value, Jensen-Shannon, PSI, and
 * Evidently's automatic method choice and decision. Reference values: scipy/drift-fixtures.json, computed by
 * drift_fixtures.py beside it.
 */
class DriftAgreementTest {
    private static final double TOLERANCE = 1e-6;

    static List<ScipyFixtures.Case> cases() {
        return ScipyFixtures.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void automaticMethodAndDecisionMatchEvidentlyAndScipy(ScipyFixtures.Case c) {
        ColumnDrift drift = DriftEngine.withDefaults().compare(c.referenceTable(), c.currentTable()).column("x");

        assertThat(drift.method().id()).isEqualTo(c.expected().get("default_method").asText());
        assertThat(drift.drifted()).isEqualTo(c.expected().get("default_drifted").asBoolean());
        assertThat(drift.referenceValues()).isEqualTo(c.expected().get("reference_count").asLong());
        assertThat(drift.currentValues()).isEqualTo(c.expected().get("current_count").asLong());
        assertClose("psi", drift.psi(), c.expect("psi"));
        assertThat(drift.kind()).isEqualTo(c.numeric() ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyMethodAgreesWithScipy(ScipyFixtures.Case c) {
        if (c.numeric()) {
            ColumnDrift ks = run(c, DriftMethod.KS);
            assertClose("ks statistic", ks.score(), c.expect("ks_statistic"));
            assertClose("ks p-value", ks.pValue(), c.expect("ks_p_value"));
            assertClose("wasserstein", run(c, DriftMethod.WASSERSTEIN).score(), c.expect("wasserstein_norm"));
        }
        if (c.has("chi2_statistic")) {
            ColumnDrift chi2 = run(c, DriftMethod.CHI_SQUARED);
            if (Double.isNaN(c.expect("chi2_p_value"))) {
                // One value on both sides: SciPy has no degrees of freedom and says NaN; we say "no evidence".
                assertThat(chi2.pValue()).isEqualTo(1.0);
            } else {
                assertClose("chi2 statistic", chi2.score(), c.expect("chi2_statistic"));
                assertClose("chi2 p-value", chi2.pValue(), c.expect("chi2_p_value"));
            }
            ColumnDrift z = run(c, DriftMethod.Z_TEST);
            assertClose("z statistic", z.score(), c.expect("z_statistic"));
            assertClose("z p-value", z.pValue(), c.expect("z_p_value"));
        }
        assertClose("jensen-shannon", run(c, DriftMethod.JENSEN_SHANNON).score(), c.expect("jensen_shannon"));
        ColumnDrift psi = run(c, DriftMethod.PSI);
        assertClose("psi", psi.score(), c.expect("psi"));
        assertThat(psi.pValue()).isNull();
    }

    private static ColumnDrift run(ScipyFixtures.Case c, DriftMethod method) {
        DriftEngine engine = DriftEngine.create(DriftConfig.defaults().withMethod("x", method));
        ColumnDrift drift = engine.compare(c.referenceTable(), c.currentTable()).column("x");
        assertThat(drift.method()).isEqualTo(method);
        return drift;
    }

    static void assertClose(String what, Double actual, double expected) {
        assertThat(actual).as(what).isNotNull();
        if (Double.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
            return;
        }
        assertThat(Math.abs(actual - expected)).as(what + ": got " + actual + ", SciPy " + expected)
                .isLessThanOrEqualTo(TOLERANCE * Math.max(1, Math.abs(expected)));
    }
}
