package dev.flywheel.schedule;

import java.util.Map;
import java.util.Objects;

/**
 * How the scheduler starts a pipeline later, the same way as {@code flywheel run NAME --classpath CP --param K=V}:
 * without the program that registered the schedule.
 *
 * @param classpath where the pipeline's classes are (folders and jars, {@code dir/*} for all jars); empty means the
 *                  scheduler's own {@code FLYWHEEL_CLASSPATH}
 * @param params    step config overrides every launched run gets ({@code step.field -> value})
 */
public record LaunchSpec(String classpath, Map<String, String> params) {
    public LaunchSpec {
        classpath = classpath == null ? "" : classpath;
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
    }

    public static LaunchSpec of(String classpath) {
        return new LaunchSpec(classpath, Map.of());
    }
}
