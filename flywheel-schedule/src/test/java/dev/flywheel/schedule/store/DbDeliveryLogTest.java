package dev.flywheel.schedule.store;

import dev.flywheel.store.metadata.MetadataStore;
import dev.flywheel.testdb.EveryMetadataStore;
import dev.flywheel.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook replay protection in the metadata store: atomic across connection pools, kept across restarts. */
@EveryMetadataStore
class DbDeliveryLogTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @Test
    void ofConcurrentDeliveriesWithOneIdExactlyOneIsNewAndARestartRemembersIt() throws Exception {
        try (MetadataStore a = database.open(dir); MetadataStore b = database.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    DbDeliveryLog log = new DbDeliveryLog(i % 2 == 0 ? a : b, "trigger-1");
                    results.add(pool.submit((Callable<Boolean>) () -> log.recordIfNew("delivery-1", Instant.now())));
                }
                int accepted = 0;
                for (Future<Boolean> f : results) {
                    accepted += f.get() ? 1 : 0;
                }
                assertThat(accepted).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(new DbDeliveryLog(a, "trigger-2").recordIfNew("delivery-1", Instant.now()))
                    .as("ids are per trigger").isTrue();
        }
        try (MetadataStore reopened = database.open(dir)) {
            assertThat(new DbDeliveryLog(reopened, "trigger-1").recordIfNew("delivery-1", Instant.now())).isFalse();
        }
    }
}
