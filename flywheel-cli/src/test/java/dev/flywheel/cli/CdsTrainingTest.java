package dev.flywheel.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's cache training ends as expected: a command that fails there (silently, at build time) would leave its
 * classes out of the ahead-of-time cache and make every later call of it slow again.
 */
class CdsTrainingTest {
    @Test
    void everyTrainingCommandEndsAsExpectedIncludingTheServiceListing() throws Exception {
        assertThat(CdsTraining.train()).isEmpty();
    }
}
