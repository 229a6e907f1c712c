package dev.flywheel.sdk;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a pipeline as defined: its name, class, config, explicit input bindings and options.
 * Immutable; the {@code with...} methods return changed copies.
 *
 * <pre>{@code
 * StepSpec.of(Train.class)
 *     .named("train_small")
 *     .withConfig(new Train.Config(50))
 *     .withInput("features", "split.train")   // input 'features' <- output 'train' of step 'split'
 *     .withRetries(2, Duration.ofSeconds(1))
 *     .withoutCache();
 * }</pre>
 *
 * @param inputBindings input name to {@code "step.output"} (or just {@code "output"} when only one step has it)
 */
public record StepSpec(String name, Class<?> stepClass, Object config, Map<String, String> inputBindings,
                       StepOptions options) {

    public StepSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stepClass, "stepClass");
        Objects.requireNonNull(options, "options");
        inputBindings = Map.copyOf(inputBindings);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
            throw new FlywheelException(ErrorCode.INVALID_PIPELINE, "Step name '" + name
                    + "' is not valid: use letters, digits, '_' and '-', starting with a letter or '_'");
        }
    }

    /** A step named after its class in snake_case ({@code TrainXgboost} becomes {@code train_xgboost}). */
    public static StepSpec of(Class<?> stepClass) {
        return new StepSpec(defaultName(stepClass), stepClass, null, Map.of(), StepOptions.DEFAULT);
    }

    public StepSpec named(String newName) {
        return new StepSpec(newName, stepClass, config, inputBindings, options);
    }

    public StepSpec withConfig(Object newConfig) {
        return new StepSpec(name, stepClass, newConfig, inputBindings, options);
    }

    /** Binds input {@code input} to {@code source}, written {@code "step.output"} or {@code "output"}. */
    public StepSpec withInput(String input, String source) {
        Map<String, String> b = new LinkedHashMap<>(inputBindings);
        b.put(input, source);
        return new StepSpec(name, stepClass, config, b, options);
    }

    public StepSpec withoutCache() {
        return withOptions(new StepOptions(false, options.retries(), options.retryBackoff(), options.timeout(), options.onStepOperator()));
    }

    public StepSpec withRetries(int retries, Duration backoff) {
        return withOptions(new StepOptions(options.cache(), retries, backoff, options.timeout(), options.onStepOperator()));
    }

    public StepSpec withTimeout(Duration timeout) {
        return withOptions(new StepOptions(options.cache(), options.retries(), options.retryBackoff(), timeout, options.onStepOperator()));
    }

    /**
     * Runs this step on the stack's step operator (for example a Spark cluster: {@code flywheel stack register NAME
     * --step-operator cluster}) instead of in the orchestrator's process. Its inputs are read from the artifact store
     * there and its outputs written back; caching, retries, the timeout, lineage and the registry work as for any
     * step. A run on a stack without a step operator fails the step, saying how to add one.
     */
    public StepSpec onStepOperator() {
        return withOptions(new StepOptions(options.cache(), options.retries(), options.retryBackoff(), options.timeout(), true));
    }

    public StepSpec withOptions(StepOptions newOptions) {
        return new StepSpec(name, stepClass, config, inputBindings, newOptions);
    }

    static String defaultName(Class<?> type) {
        String simple = type.getSimpleName();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(simple.charAt(i - 1))) {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
