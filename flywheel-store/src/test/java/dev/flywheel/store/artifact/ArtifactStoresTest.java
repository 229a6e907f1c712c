package dev.flywheel.store.artifact;

import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.store.artifact.local.LocalArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A store opened from its root URI alone, as a step runner away from the project opens the run's store. */
class ArtifactStoresTest {
    @TempDir
    Path dir;

    @Test
    void aFolderOpensAsALocalStoreAndAnUnknownSchemeNamesTheModuleToAdd() {
        ArtifactStore local = ArtifactStores.open(dir.toUri(), getClass().getClassLoader(), Map.of());
        assertThat(local).isInstanceOf(LocalArtifactStore.class);
        assertThat(Path.of(local.root())).isEqualTo(dir);
        for (String uri : java.util.List.of("gs://bucket/prefix/", "s3://bucket/prefix/", "hdfs://namenode/flywheel/")) {
            assertThatThrownBy(() -> ArtifactStores.open(URI.create(uri), getClass().getClassLoader(), Map.of()))
                    .isInstanceOf(FlywheelException.class).hasMessageContaining("no artifact store module on this class path opens "
                            + URI.create(uri).getScheme() + "://").hasMessageContaining("flywheel-s3 for s3://");
        }
    }
}
