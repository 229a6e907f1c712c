package dev.flywheel.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One column's drift result.
 *
 * @param column                 the column's name
 * @param kind                   numeric or categorical
 * @param method                 the method that decided {@code drifted}
 * @param score                  the test statistic (KS D, chi-squared, z) or the distance (normed Wasserstein,
 *                               Jensen-Shannon, PSI); null when the current data has no values in this column.
 *                               Chi-squared is {@code Infinity} when the current data has a value the reference never
 *                               had (SciPy's answer too)
 * @param pValue                 the p-value, for methods that have one; else null
 * @param threshold              the threshold applied: to {@code pValue} for tests, to {@code score} for distances
 * @param drifted                whether this column drifted
 * @param psi                    the population stability index, always computed beside the method
 * @param psiLevel               stable, warn or act, from the configured PSI levels
 * @param referenceValues        non-missing values in the reference (for a profile: in the data it was made from)
 * @param currentValues          non-missing values in the current data
 * @param referenceMissingShare  share of reference rows with a missing value (empty, NaN or infinite)
 * @param currentMissingShare    share of current rows with a missing value
 * @param note                   why the column could not be tested, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"column", "kind", "method", "score", "p_value", "threshold", "drifted", "psi", "psi_level"})
public record ColumnDrift(String column, ColumnKind kind, DriftMethod method, Double score, Double pValue,
                          double threshold, boolean drifted, Double psi, PsiLevel psiLevel, long referenceValues,
                          long currentValues, double referenceMissingShare, double currentMissingShare,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
}
