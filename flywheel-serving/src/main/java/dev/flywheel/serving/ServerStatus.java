package dev.flywheel.serving;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a prediction server serves right now, as {@code GET /admin/status} reports it.
 *
 * @param modelName        the served model
 * @param version          the version answering new requests
 * @param format           its model format
 * @param modelFile        the file it was loaded from
 * @param loadedAt         when that version finished loading and warming up
 * @param inFlightRequests requests being handled at the moment of the call
 */
public record ServerStatus(String modelName, int version, String format, Path modelFile, Instant loadedAt,
                           int inFlightRequests) {
}
