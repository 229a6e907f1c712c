package dev.flywheel.store.transfer;

import java.util.List;

/**
 * Where a table records blobs of the artifact store: the column holding a blob's location (relative to the store,
 * {@code blobs/ab/<sha256>}) and the column holding the sha256 recorded when it was written. A transfer copies the
 * blobs every such pair names, and checks each against its recorded hash.
 */
public record BlobColumns(String table, String locationColumn, String sha256Column) {

    /** Every blob reference of Flywheel's own tables: artifacts, model files, provenance, the data a model saw. */
    public static List<BlobColumns> flywheel() {
        return List.of(
                new BlobColumns("artifacts", "uri", "sha256"),
                new BlobColumns("model_versions", "model_uri", "model_sha256"),
                new BlobColumns("model_versions", "provenance_uri", "provenance_sha256"),
                new BlobColumns("model_version_data", "uri", "sha256"));
    }
}
