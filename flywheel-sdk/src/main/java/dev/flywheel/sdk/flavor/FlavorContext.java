package dev.flywheel.sdk.flavor;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What Flywheel hands a {@link Flavor} building a component: where the project is, the clock, the class loader of
 * the user's classpath, and the other parts of the project and stack the component may use.
 */
public interface FlavorContext {

    /** The registered name of the component being built ({@code default}, {@code prod-deployer}). */
    String componentName();

    /** The project's {@code .flywheel/} folder: local flavors keep their state under it. */
    Path projectFolder();

    Clock clock();

    /** The class loader of Flywheel plus the user's classpath (pipelines, plug-ins, materializers, model formats). */
    ClassLoader classLoader();

    /**
     * Another part of the project: the metadata store, the stack's artifact store, the secrets store, and what the
     * module providing this kind offers (the engine offers its step runner to orchestrators). Built on first use.
     *
     * @throws dev.flywheel.sdk.FlywheelException NOT_FOUND naming the type when the project offers no such part
     */
    <T> T require(Class<T> type);
}
