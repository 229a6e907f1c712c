package dev.flywheel.sdk;

/** A resolved edge of a pipeline: output {@code output} of step {@code fromStep} feeds input {@code input} of {@code toStep}. */
public record Wire(String fromStep, String output, String toStep, String input) {
    @Override
    public String toString() {
        return fromStep + "." + output + " -> " + toStep + "." + input;
    }
}
