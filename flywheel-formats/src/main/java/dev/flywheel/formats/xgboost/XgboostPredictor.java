package dev.flywheel.formats.xgboost;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a loaded XGBoost model predicts. {@link #JAVA} (the default) evaluates the trees in plain Java, with no
 * native call per prediction; {@link #NATIVE} calls XGBoost4J's {@code inplace_predict}, which costs ~200 µs of
 * fixed setup per call. Models the Java evaluator cannot reproduce exactly (dart, gblinear, categorical splits,
 * other objectives) always predict natively, whichever is chosen.
 */
public enum XgboostPredictor {
    JAVA,
    NATIVE;

    /** The system property that picks the predictor for {@link XgboostFormat}'s no-argument constructor. */
    public static final String PROPERTY = "flywheel.xgboost.predictor";

    /**
     * Parses a predictor name ({@code java} or {@code native}, any case); {@code null} or blank means {@link #JAVA}.
     *
     * @throws FlywheelException with {@code INVALID_ARGUMENT} naming the property and the accepted values
     */
    public static XgboostPredictor parse(String value) {
        if (value == null || value.isBlank()) {
            return JAVA;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FlywheelException(ErrorCode.INVALID_ARGUMENT, "System property " + PROPERTY + "='" + value
                    + "' is not a known XGBoost predictor; use one of "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList()
                    + " or leave it unset for java");
        }
    }
}
