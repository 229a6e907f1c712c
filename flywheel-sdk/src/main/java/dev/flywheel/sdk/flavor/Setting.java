package dev.flywheel.sdk.flavor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a flavor's settings record, for {@code flywheel flavors list} and for the checks at
 * {@code register}. A component without this annotation is optional, has no default and no description.
 *
 * <pre>{@code
 * public record Settings(
 *         @Setting(description = "the bucket", required = true) String bucket,
 *         @Setting(description = "parts uploaded at once", defaultValue = "4") int parallelUploads,
 *         @Setting(description = "the access key", secret = true) String secretKey) {
 * }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Setting {
    /** What the setting does, one line. */
    String description() default "";

    /** The value used when none is given, as it would be typed ({@code "4"}, {@code "30s"}); empty = none. */
    String defaultValue() default "";

    /** Whether registering without it is an error. A primitive component without a default is always required. */
    boolean required() default false;

    /**
     * Whether the value is a secret: it must then be given as a reference ({@code {{secret.NAME.KEY}}}), so it is
     * never stored in plain text, and it is shown masked.
     */
    boolean secret() default false;
}
