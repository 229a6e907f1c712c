package dev.flywheel.store.transfer;

import java.nio.file.Path;
import java.util.List;

/**
 * What an export or import did, table by table, checked by counts and hashes.
 *
 * @param folder       the export folder
 * @param tables       per table: rows in the export, rows added to the target (an export adds none), rows the
 *                     target already had (kept as they were: the {@code default} stack and its components)
 * @param blobs        blobs in the export
 * @param blobsCopied  blobs written (for an import: uploaded; the others were already in the target store)
 * @param bytesCopied  their bytes
 * @param skippedRows  rows left out of the export on purpose (local daemons, secrets), per table
 */
public record TransferReport(Path folder, List<TableCount> tables, int blobs, int blobsCopied, long bytesCopied,
                             java.util.Map<String, Long> skippedRows) {
    public TransferReport {
        tables = List.copyOf(tables);
        skippedRows = java.util.Map.copyOf(skippedRows);
    }

    public record TableCount(String table, long exported, long added, long existing) {
    }

    public long rows() {
        return tables.stream().mapToLong(TableCount::exported).sum();
    }
}
