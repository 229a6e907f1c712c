package dev.flywheel.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.sdk.ErrorCode;
import dev.flywheel.sdk.FlywheelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a {@link CiReport}'s JSON says to release: the accepted version, the stack it was made on, the stack it goes to. */
record CiRelease(String model, int version, String stack, String baseline) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static CiRelease read(Path file) {
        JsonNode r;
        try {
            r = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw FlywheelException.invalid("Cannot read the report " + file + ": " + e.getMessage()
                    + "; write it with: flywheel run PIPELINE --stack staging --report-json " + file);
        }
        String outcome = r.path("outcome").asText("");
        switch (outcome) {
            case "PASSED" -> { }
            case "REJECTED" -> throw new FlywheelException(ErrorCode.GATE_REJECTED, "The report " + file + " says the gate rejected version "
                    + r.at("/gate/candidateVersion").asInt() + ": " + r.at("/gate/reason").asText() + "; nothing to release");
            case "FAILED" -> throw new FlywheelException(ErrorCode.RUN_FAILED, "The report " + file + " is of a failed run ("
                    + r.path("error").asText() + "); nothing to release");
            case "NO_GATE" -> throw FlywheelException.invalid("The report " + file + " is of a pipeline without a deployment gate;"
                    + " promote a version yourself: flywheel models promote NAME VERSION --from-stack S --to-stack T");
            default -> throw FlywheelException.invalid("The file " + file + " is not a Flywheel report (no outcome); write one with"
                    + " flywheel run PIPELINE --report-json " + file);
        }
        if (r.path("baseline").isNull() || r.path("baseline").asText("").isBlank()) {
            throw FlywheelException.invalid("The run of report " + file + " was judged within stack '" + r.path("stack").asText()
                    + "', with no baseline stack to release to; run it with --baseline-stack production");
        }
        return new CiRelease(r.at("/gate/model").asText(), r.at("/gate/candidateVersion").asInt(), r.path("stack").asText(),
                r.path("baseline").asText());
    }
}
