package dev.flywheel.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a step input. Unless the pipeline binds it explicitly ({@link StepSpec#withInput}), an input is
 * wired to the one output of another step that has the same name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Input {
    String value();
}
