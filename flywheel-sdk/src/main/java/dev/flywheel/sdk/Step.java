package dev.flywheel.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that is a pipeline step. A step class has exactly one such public method and a public
 * no-argument constructor; Flywheel creates a new instance for every execution, so a step may keep state in
 * fields during one execution but never across runs.
 *
 * <p>The method's parameters are, in any order:
 * <ul>
 *   <li>inputs: artifacts produced by other steps, named by {@link Input @Input} or, when the code is compiled
 *       with {@code -parameters}, by the parameter name;</li>
 *   <li>at most one config: a parameter whose type is a {@code record} and that is not annotated {@code @Input};
 *       it is set when the pipeline is defined and may be overridden per run ({@code --param step.field=value});</li>
 *   <li>optionally a {@link StepContext}.</li>
 * </ul>
 * The return value is the step's output. A return type annotated {@link Outputs @Outputs} (a record) gives one
 * named output per record component; any other type gives one output named {@link #output()}.
 *
 * <pre>{@code
 * public final class Split {
 *     public record Config(double testFraction, long seed) {}
 *     @Outputs public record Result(Table train, Table test) {}
 *
 *     @Step
 *     public Result split(@Input("features") Table features, Config config) {
 *         Table.Split s = features.randomSplit(config.testFraction(), config.seed());
 *         return new Result(s.train(), s.test());
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {
    /** The name of the single output when the return type is not an {@link Outputs @Outputs} record. */
    String output() default "output";
}
