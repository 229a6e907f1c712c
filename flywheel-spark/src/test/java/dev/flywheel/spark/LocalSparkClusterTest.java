package dev.flywheel.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(SparkClusterExtension.class)
class LocalSparkClusterTest {

    @Test
    void masterListsTwoAliveWorkersOnLoopbackWithOneCoreEach(LocalSparkCluster cluster) {
        assertThat(cluster.masterUrl()).startsWith("spark://127.0.0.1:");
        JsonNode state = cluster.state();
        List<String> hosts = new ArrayList<>();
        for (JsonNode w : state.path("workers")) {
            assertThat(w.path("state").asText()).isEqualTo("ALIVE");
            assertThat(w.path("cores").asInt()).isEqualTo(1);
            hosts.add(w.path("host").asText());
        }
        assertThat(hosts).containsExactly("127.0.0.1", "127.0.0.1");
        assertThat(cluster.workers()).hasSize(2).allSatisfy(w -> assertThat(w.webUi().getHost()).isEqualTo("127.0.0.1"));
    }
}
