package dev.flywheel.runtime;

import dev.flywheel.engine.stack.Stack;
import dev.flywheel.engine.stack.StackComponent;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.sdk.flavor.ComponentKind;

import java.nio.file.Path;

/**
 * Where a project lives: its folder, its metadata store and the artifact store of its active stack. What
 * {@code flywheel info} prints; never a password (stores describe themselves without one).
 *
 * @param home              the project's {@code .flywheel/} folder
 * @param metadataFlavor    {@code sqlite}, {@code postgres}, ...
 * @param metadata          where the metadata is: the SQLite file, or {@code postgresql://host:5432/db as user}
 * @param stack             the active stack
 * @param artifactStore     the name of its artifact store component
 * @param artifactFlavor    its flavor
 * @param artifacts         the store's root ({@code file:/.../artifacts/}, {@code s3://bucket/prefix/}), or null when
 *                          it could not be opened
 * @param artifactProblem   why it could not be opened, or null
 */
public record ProjectInfo(Path home, String metadataFlavor, String metadata, String stack, String artifactStore,
                          String artifactFlavor, String artifacts, String artifactProblem) {

    static ProjectInfo of(Flywheel flywheel) {
        Stack stack = flywheel.stack();
        StackComponent store = stack.component(ComponentKind.ARTIFACT_STORE);
        String root = null;
        String problem = null;
        try {
            root = flywheel.artifactStore().root().toString();
        } catch (FlywheelException e) {
            problem = e.getMessage();
        }
        return new ProjectInfo(flywheel.home().dir(), flywheel.projectConfig().metadataFlavor(), flywheel.metadata().description(),
                stack.name(), store.name(), store.flavor(), root, problem);
    }
}
