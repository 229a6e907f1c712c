package dev.flywheel.deploy.service;

import dev.flywheel.deploy.BikeModels;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.sdk.FlywheelException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceRecordMaterializerTest {
    private final ServiceRecordMaterializer materializer = new ServiceRecordMaterializer();

    @Test
    void serviceRecordRoundTripsWithItsStatusAndConfig() throws Exception {
        DeploymentConfig config = new DeploymentConfig("bike", 3, "xgboost", Path.of("/tmp/m.json"), BikeModels.SIGNATURE,
                "bike_demand", "run-1", "deploy", 0, "ab".repeat(32));
        ServiceRecord r = new ServiceRecord(UUID.randomUUID(), "local", config, DesiredState.RUNNING,
                new ServiceStatus.Failed("the prediction server exited with code 137 (SIGKILL)"), "the prediction server exited with code 137 (SIGKILL)",
                "http://127.0.0.1:4000/v2/models/bike/infer", 42, 4000, 2, Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        materializer.write(r, out);
        assertThat(materializer.format()).isNotEqualTo("json");
        assertThat(materializer.read(new ByteArrayInputStream(out.toByteArray()), ServiceRecord.class)).isEqualTo(r);
    }

    @Test
    void unknownFieldsInAStoredRecordAreRejected() {
        byte[] bad = "{\"uuid\": \"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> materializer.read(new ByteArrayInputStream(bad), ServiceRecord.class))
                .isInstanceOf(FlywheelException.class).hasMessageContaining("Invalid service record JSON");
    }
}
