package dev.flywheel.runtime;

import dev.flywheel.engine.config.StepConfigs;
import dev.flywheel.schedule.LaunchSpec;
import dev.flywheel.schedule.PipelineCheck;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.store.metadata.PipelineRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The check schedules and triggers run when they are created: the pipeline is registered where this handle loads
 * pipelines from (the launch's class path, as the CLI opens it), and every parameter, with those a trigger adds at
 * fire time, resolves against its step configs exactly as {@code flywheel run} would resolve it.
 */
final class LaunchChecks implements PipelineCheck {
    private final Pipelines pipelines;

    LaunchChecks(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public void launchable(String name, LaunchSpec launch, Set<String> paramsAddedAtFire) {
        Pipeline pipeline = pipelines.get(name);
        StepConfigs.resolve(pipeline, launch.params());
        for (String added : paramsAddedAtFire) {
            Map<String, String> params = new LinkedHashMap<>(launch.params());
            params.put(added, "[]");
            try {
                StepConfigs.resolve(pipeline, params);
            } catch (FlywheelException e) {
                throw new FlywheelException(e.code(), "The trigger passes its new files to each run as parameter '" + added
                        + "' (--files-param), which pipeline '" + name + "' cannot take: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void known(String name) {
        Set<String> names = new TreeSet<>();
        pipelines.registered().forEach(p -> names.add(p.name()));
        pipelines.recorded().stream().map(PipelineRecord::name).forEach(names::add);
        if (!names.contains(name)) {
            throw new FlywheelException(ErrorCode.NOT_FOUND, "No pipeline named '" + name + "' is registered or has run in this"
                    + " project, so a trigger waiting for it would never fire; known pipelines: " + names);
        }
    }
}
