package dev.flywheel.spark.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A driver that spark-submit placed on a standalone cluster (deploy mode {@code cluster}). The submission client only
 * relays: it exits 0 whether the driver finished or failed, and the driver's output stays on its worker. So the
 * driver is found by the id the client logs, its final state asked of the master ({@code GET /json/}) and its log
 * read from its worker's web UI ({@code GET /log}).
 */
final class StandaloneDriver {
    private static final Pattern SUBMITTED = Pattern.compile("Driver successfully submitted as (driver-\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** What the master and the driver's worker say of a driver. */
    record Status(String id, String state, String workerId, URI workerUi, String log) {
        boolean finished() {
            return "FINISHED".equals(state);
        }

        boolean ended() {
            return state != null && switch (state) {
                case "FINISHED", "FAILED", "ERROR", "KILLED" -> true;
                default -> false;
            };
        }
    }

    private final HttpClient http;
    private final URI masterUi;

    StandaloneDriver(URI masterUi) {
        this.masterUi = masterUi;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The driver id in the submission client's output ({@code --verbose} makes it log it). */
    static Optional<String> idIn(String submitLog) {
        if (submitLog == null) {
            return Optional.empty();
        }
        Matcher m = SUBMITTED.matcher(submitLog);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The driver as the master lists it (active or completed), with the tail of its stderr from its worker; an empty
     * state when the master cannot be asked or does not know the driver.
     */
    Status status(String driverId, int logBytes) {
        JsonNode master;
        try {
            master = get(masterUi.resolve("/json/"));
        } catch (IOException e) {
            return new Status(driverId, null, null, null, "(the master's web UI " + masterUi + " did not answer: " + e.getMessage() + ")");
        }
        JsonNode driver = null;
        for (String list : new String[] {"activedrivers", "completeddrivers"}) {
            for (JsonNode d : master.path(list)) {
                if (d.path("id").asText().equals(driverId)) {
                    driver = d;
                }
            }
        }
        if (driver == null) {
            return new Status(driverId, null, null, null, null);
        }
        String workerId = driver.path("worker").asText(null);
        URI workerUi = null;
        for (JsonNode w : master.path("workers")) {
            if (w.path("id").asText().equals(workerId) && !w.path("webuiaddress").asText().isBlank()) {
                workerUi = URI.create(w.path("webuiaddress").asText());
            }
        }
        return new Status(driverId, driver.path("state").asText(null), workerId, workerUi, workerUi == null ? null : log(workerUi, driverId, logBytes));
    }

    /**
     * Asks the master to kill the driver (the kill link of its web UI: the REST submission server, which
     * {@code spark-submit --kill} needs, is off by default); true when the master accepted the request.
     */
    boolean kill(String driverId) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(masterUi.resolve("/driver/kill/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("id=" + driverId + "&terminate=true")).timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last bytes of the driver's stderr (where Spark and the step log), as its worker serves them. */
    private String log(URI workerUi, String driverId, int bytes) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(workerUi.resolve("/log?driverId=" + driverId + "&logType=stderr&byteLength=" + bytes))
                    .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "(worker " + workerUi + " answered " + r.statusCode() + " for the driver's log)";
        } catch (IOException e) {
            return "(worker " + workerUi + " did not serve the driver's log: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private JsonNode get(URI uri) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
