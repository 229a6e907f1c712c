package dev.flywheel.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * Options of one run.
 *
 * @param params  config overrides, {@code "step.field" -> value} for one step or {@code "field" -> value} for
 *                every step whose config has that field; values are parsed to the field's type
 * @param cache   {@code false} runs every step even when a cached result exists
 * @param trigger why the run starts (for example {@code manual}, {@code schedule:ID@TIME}), stored with the run
 */
public record RunOptions(Map<String, String> params, boolean cache, String trigger) {
    public RunOptions {
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
        Objects.requireNonNull(trigger, "trigger");
    }

    public static RunOptions defaults() {
        return new RunOptions(Map.of(), true, "manual");
    }

    public RunOptions withParams(Map<String, String> newParams) {
        return new RunOptions(newParams, cache, trigger);
    }

    public RunOptions withoutCache() {
        return new RunOptions(params, false, trigger);
    }

    public RunOptions withTrigger(String newTrigger) {
        return new RunOptions(params, cache, newTrigger);
    }
}
