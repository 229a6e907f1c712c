package dev.flywheel.sdk.alert;

/**
 * Tells people that something happened: a run failed, data drifted, a deploy was rejected. A component kind: the
 * embedded {@code log} flavor writes the alert to the log; others post to chat or paging services. A step reaches the
 * stack's alerter with {@code context.component(Alerter.class)}.
 *
 * <p>Implementations are thread-safe and never throw for a delivery that failed (an alert must not fail the work
 * that raised it): they return what happened.
 */
public interface Alerter {

    /** Sends {@code alert}; says whether it was delivered and, if not, why. */
    AlertDelivery post(Alert alert);
}
