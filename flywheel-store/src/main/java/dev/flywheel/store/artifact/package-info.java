/**
 * Artifact stores: where the bytes of step outputs live, content-addressed and written atomically.
 * {@link dev.flywheel.store.artifact.local.LocalArtifactStore} is the embedded default.
 */
package dev.flywheel.store.artifact;
