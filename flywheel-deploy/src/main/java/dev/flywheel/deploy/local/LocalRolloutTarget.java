package dev.flywheel.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.deploy.DeploymentConfig;
import dev.flywheel.deploy.rollout.RolloutTarget;
import dev.flywheel.deploy.service.ServiceJson;
import dev.flywheel.deploy.service.ServiceStore;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;
import dev.flywheel.serving.api.ServingProtocol;
import dev.flywheel.serving.api.TrafficCodec;
import dev.flywheel.serving.api.TrafficCommand;
import dev.flywheel.serving.api.TrafficReport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A local service as a rollout drives it: its server's {@code /admin/traffic} (port from the supervisor's state, the
 * admin token from whoever holds it: the secrets store through {@link AdminTokens}, or the supervisor's environment) and
 * its {@code config.json} and row, which follow a promotion.
 */
final class LocalRolloutTarget implements RolloutTarget {
    /** Loading a challenger beside the champion may take a while on a busy machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final ServiceFolder folder;
    private final Supplier<String> adminToken;
    private final ServiceStore store;
    private final HttpClient http;
    private final Clock clock;

    LocalRolloutTarget(ServiceFolder folder, Supplier<String> adminToken, ServiceStore store, HttpClient http, Clock clock) {
        this.folder = folder;
        this.adminToken = adminToken;
        this.store = store;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public TrafficReport report() {
        return TrafficCodec.readReport(send(request().GET().build()));
    }

    @Override
    public TrafficReport apply(TrafficCommand command) {
        return TrafficCodec.readReport(send(request().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TrafficCodec.write(command))).build()));
    }

    @Override
    public int deployedVersion() {
        return ServiceFolder.read(folder.config()).map(ServiceJson::config).map(DeploymentConfig::modelVersion).orElse(0);
    }

    @Override
    public void deployed(DeploymentConfig challenger) {
        ServiceFolder.writeAtomically(folder.config(), ServiceJson.config(challenger));
        store.find(folder.uuid()).ifPresent(r -> store.update(r.withConfig(challenger, clock.instant())));
    }

    private HttpRequest.Builder request() {
        SupervisorState state = SupervisorState.read(folder);
        int port = state == null ? 0 : state.port();
        if (port <= 0) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Service " + folder.uuid() + " has no running server to route traffic on");
        }
        String token = adminToken.get();
        return HttpRequest.newBuilder(URI.create(LocalDaemonService.baseUrl(port) + ServingProtocol.TRAFFIC_PATH)).timeout(TIMEOUT)
                .header(ServingProtocol.AUTHORIZATION_HEADER, ServingProtocol.bearer(token));
    }

    private byte[] send(HttpRequest request) {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Cannot reach the server of service " + folder.uuid() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywheelException(ErrorCode.UNAVAILABLE, "Interrupted while talking to service " + folder.uuid());
        }
        if (r.statusCode() != 200) {
            String message = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                JsonNode n = ServiceJson.MAPPER.readTree(r.body());
                message = n.path("error").asText(message);
            } catch (IOException notJson) {
                // shown as it is
            }
            ErrorCode code = r.statusCode() == 409 ? ErrorCode.CONFLICT : ErrorCode.DEPLOY_FAILED;
            throw new FlywheelException(code, "The server of service " + folder.uuid() + " refused (HTTP " + r.statusCode() + "): " + message);
        }
        return r.body();
    }
}
