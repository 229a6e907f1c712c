package dev.flywheel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.deploy.service.Service;
import dev.flywheel.runtime.Flywheel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prediction servers other machines can reach: a local deployer registered with {@code -s host=0.0.0.0} serves on
 * every interface (called here through this machine's non-loopback address), while {@code /admin} still refuses a
 * caller without the service's token. The default stays loopback, and any other address is refused at register.
 */
class ReachableServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ROW = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}";

    @TempDir
    Path dir;

    CliResult flywheel(String... args) {
        return CliResult.inProject(dir.resolve(".flywheel"), args);
    }

    CliResult ok(String... args) {
        CliResult r = flywheel(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @AfterEach
    void deleteServices() {
        try (Flywheel flywheel = Flywheel.create(cfg -> cfg.home = dir.resolve(".flywheel"))) {
            for (Service s : flywheel.deployments().list(null, null, null, false)) {
                flywheel.deployments().delete(s.record().uuid(), Duration.ofSeconds(10), true);
            }
        }
    }

    @Test
    void aDeployerOnEveryInterfaceServesOtherMachinesAndItsAdminEndpointStillNeedsTheToken() throws Exception {
        Optional<InetAddress> lan = NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address to call the server on");
        ok("init");
        Path onnx = Path.of(getClass().getResource("/onnx/linear_regressor.onnx").toURI());
        ok("models", "import", "lin", "--onnx", onnx.toString());

        CliResult wrong = flywheel("model-deployer", "register", "lan", "--flavor", "local", "-s", "host=10.1.2.3");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("host is '10.1.2.3'").contains("0.0.0.0");

        CliResult loopback = ok("models", "deploy", "lin", "1");
        int loopbackPort = URI.create(url(loopback)).getPort();
        assertThat(url(loopback)).startsWith("http://127.0.0.1:");
        assertThat(reaches(lan.get(), loopbackPort)).as("the default server listens on loopback only").isFalse();

        ok("model-deployer", "register", "lan", "--flavor", "local", "-s", "host=0.0.0.0");
        ok("stack", "register", "shared", "-d", "lan", "--set");
        String url = url(ok("models", "deploy", "lin", "1", "--new"));
        int port = URI.create(url).getPort();
        assertThat(url).startsWith("http://" + InetAddress.getLocalHost().getHostName() + ":");
        URI fromElsewhere = URI.create("http://" + lan.get().getHostAddress() + ":" + port + "/v2/models/lin/infer");
        HttpResponse<String> prediction = HTTP.send(HttpRequest.newBuilder(fromElsewhere).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);

        URI admin = URI.create("http://" + lan.get().getHostAddress() + ":" + port + "/admin/swap");
        for (String token : new String[] {null, "Bearer guessed"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(admin).POST(HttpRequest.BodyPublishers.ofString("{}"));
            if (token != null) {
                b.header("Authorization", token);
            }
            HttpResponse<String> refused = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isIn(401, 403);
        }
        JsonNode described = new ObjectMapper().readTree(ok("stack", "describe", "--json").out());
        assertThat(described.toString()).contains("\"host\":\"0.0.0.0\"");
    }

    private static String url(CliResult deployed) {
        return deployed.out().lines().filter(l -> l.startsWith("Prediction URL: ")).findFirst().orElseThrow()
                .substring("Prediction URL: ".length()).strip();
    }

    private static boolean reaches(InetAddress address, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(address, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
