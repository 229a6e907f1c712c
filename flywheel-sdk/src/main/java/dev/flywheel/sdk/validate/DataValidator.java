package dev.flywheel.sdk.validate;

import dev.flywheel.sdk.data.Table;

/**
 * Checks data against expectations before it can reach a model: columns present and numeric, values in range,
 * nothing missing. A component kind: the embedded {@code ranges} flavor does exactly that; others may run a
 * validation library. A step reaches the stack's validator with {@code context.component(DataValidator.class)}:
 * <pre>{@code
 * context.component(DataValidator.class).validate(batch, expectations).requireValid();
 * }</pre>
 * Thread-safe.
 */
public interface DataValidator {

    /** Every problem of {@code data} against {@code expectations}; none when it passes. Never throws for bad data. */
    ValidationReport validate(Table data, Expectations expectations);
}
