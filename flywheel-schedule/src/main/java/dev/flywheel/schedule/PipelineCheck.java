package dev.flywheel.schedule;

import java.util.Set;

/**
 * Checks, when a schedule or trigger is created, that the scheduler will be able to start its pipeline later - so a
 * typo in a parameter or a pipeline name fails now, at the user's keyboard, not at 3 am in a child process. The
 * schedule module does not know pipelines; the runtime supplies the check ({@link #NONE} checks nothing).
 */
public interface PipelineCheck {
    /** Checks nothing: for stores used without pipelines (tests of the scheduler itself). */
    PipelineCheck NONE = new PipelineCheck() {
        @Override
        public void launchable(String pipeline, LaunchSpec launch, Set<String> paramsAddedAtFire) {
        }

        @Override
        public void known(String pipeline) {
        }
    };

    /**
     * Checks that {@code pipeline} exists where {@code launch} says and accepts its parameters, plus the parameters a
     * trigger adds to each run ({@code paramsAddedAtFire}, such as a folder trigger's files parameter).
     *
     * @throws dev.flywheel.sdk.FlywheelException NOT_FOUND for an unknown pipeline, INVALID_ARGUMENT naming a parameter
     *                                            that matches no step or field or does not parse
     */
    void launchable(String pipeline, LaunchSpec launch, Set<String> paramsAddedAtFire);

    /**
     * Checks that a pipeline another one waits for exists: registered, or run in this project before.
     *
     * @throws dev.flywheel.sdk.FlywheelException NOT_FOUND naming the pipelines there are
     */
    void known(String pipeline);
}
