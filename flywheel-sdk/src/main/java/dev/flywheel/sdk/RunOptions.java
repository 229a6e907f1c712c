package dev.flywheel.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * Options of one run.
 *
 * @param params  config overrides, {@code "step.field" -> value} for one step or {@code "field" -> value} for
 *                every step whose config has that field; values are parsed to the field's type
 * @param cache   {@code false} runs every step even when a cached result exists
 * @param trigger why the run starts, in short (for example {@code manual}, {@code schedule:ID@TIME}), stored with the run
 * @param reason  why the run starts, typed ({@link LaunchReason.Manual} unless a scheduler or trigger launched it)
 * @param fireId  the scheduler's fire that launched the run ({@code SOURCE_ID/FIRE_KEY}), or null when no fire did
 * @param source  the version of the code the run runs, or null: the runtime finds it (git commit, branch, dirty state)
 */
public record RunOptions(Map<String, String> params, boolean cache, String trigger, LaunchReason reason, String fireId,
                         SourceVersion source) {
    public RunOptions {
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
        Objects.requireNonNull(trigger, "trigger");
        reason = reason == null ? new LaunchReason.Manual() : reason;
    }

    /** Options whose code version the runtime finds. */
    public RunOptions(Map<String, String> params, boolean cache, String trigger, LaunchReason reason, String fireId) {
        this(params, cache, trigger, reason, fireId, null);
    }

    /** Options of a run started by hand. */
    public RunOptions(Map<String, String> params, boolean cache, String trigger) {
        this(params, cache, trigger, new LaunchReason.Manual(), null, null);
    }

    public static RunOptions defaults() {
        return new RunOptions(Map.of(), true, "manual");
    }

    public RunOptions withParams(Map<String, String> newParams) {
        return new RunOptions(newParams, cache, trigger, reason, fireId, source);
    }

    public RunOptions withoutCache() {
        return new RunOptions(params, false, trigger, reason, fireId, source);
    }

    public RunOptions withTrigger(String newTrigger) {
        return new RunOptions(params, cache, newTrigger, reason, fireId, source);
    }

    /** The same options for a run the scheduler launched: why, and which fire ({@code null} for none). */
    public RunOptions withLaunch(LaunchReason newReason, String newFireId) {
        return new RunOptions(params, cache, trigger, newReason, newFireId, source);
    }

    /** The same options with the code version stated rather than found. */
    public RunOptions withSource(SourceVersion newSource) {
        return new RunOptions(params, cache, trigger, reason, fireId, newSource);
    }
}
