package dev.flywheel.store.transfer;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an export folder: what it holds, with a count and a sha256 for every table file and a
 * sha256 and size for every blob, so an import can check it got all of it, unchanged.
 *
 * @param format         {@value #FORMAT}
 * @param createdAt      when the export was taken (ISO-8601)
 * @param source         where it came from, for people: the metadata store and artifact store of the project
 * @param schemaVersions the Flyway migrations applied to the source: the target must have them all
 * @param tables         every table copied, parents first
 * @param blobs          every blob the tables refer to, once each
 * @param skipped        rows left out on purpose, per table, and why (in {@link ProjectExport#SKIPPED})
 */
public record ExportManifest(String format, String createdAt, Map<String, String> source, List<String> schemaVersions,
                             List<Table> tables, List<Blob> blobs, Map<String, Long> skipped) {
    public static final String FORMAT = "flywheel-export-v1";
    public static final String FILE = "manifest.json";

    public ExportManifest {
        source = Map.copyOf(source);
        schemaVersions = List.copyOf(schemaVersions);
        tables = List.copyOf(tables);
        blobs = List.copyOf(blobs);
        skipped = Map.copyOf(skipped);
    }

    /** A table's rows in {@code tables/<name>.jsonl}: a header line with the columns, then one JSON array per row. */
    public record Table(String name, long rows, String sha256) {
    }

    /** A blob in {@code blobs/ab/<sha256>}. */
    public record Blob(String sha256, long size) {
    }
}
