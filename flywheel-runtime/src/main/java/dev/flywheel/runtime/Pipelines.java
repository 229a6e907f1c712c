package dev.flywheel.runtime;

import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.Pipeline;
import dev.flywheel.sdk.spi.PipelineProvider;
import dev.flywheel.store.metadata.PipelineRecord;
import dev.flywheel.store.metadata.RunRecords;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The pipelines a project knows: the ones its code registers ({@link PipelineProvider} on the classpath), and
 * the ones that have run in this store.
 */
public final class Pipelines {
    private final ClassLoader loader;
    private final RunRecords records;

    Pipelines(ClassLoader loader, RunRecords records) {
        this.loader = loader;
        this.records = records;
    }

    /** Pipelines registered through {@link PipelineProvider}, by name. */
    public List<Pipeline> registered() {
        TreeMap<String, Pipeline> byName = new TreeMap<>();
        for (PipelineProvider provider : ServiceLoader.load(PipelineProvider.class, loader)) {
            for (Pipeline p : provider.pipelines()) {
                Pipeline previous = byName.putIfAbsent(p.name(), p);
                if (previous != null && previous != p) {
                    throw new FlywheelException(ErrorCode.INVALID_PIPELINE, "Two pipelines are registered under the name '" + p.name()
                            + "' (one by " + provider.getClass().getName() + "); pipeline names must be unique on the classpath");
                }
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** A registered pipeline by name, or NOT_FOUND listing the ones there are. */
    public Pipeline get(String name) {
        List<Pipeline> all = registered();
        return all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> FlywheelException.notFound(
                "No pipeline named '" + name + "' is registered on the classpath" + (all.isEmpty()
                        ? " (none is; register yours with a dev.flywheel.sdk.spi.PipelineProvider in META-INF/services and pass --classpath)"
                        : "; registered: " + all.stream().map(Pipeline::name).toList())));
    }

    /** Pipelines that have run in this store, with their last definition. */
    public List<PipelineRecord> recorded() {
        return records.pipelines();
    }
}
