package dev.flywheel.schedule.trigger;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FolderTrigger} has consumed: each file (path relative to the folder, with '/' separators) with
 * the size and modification time it had when a run took it. A file counts as new when it is absent here and as
 * changed when its stamp differs. Files that disappear from the folder are dropped, so the state stays as small
 * as the folder. A plain record of strings and numbers, meant to be persisted as JSON.
 */
public record FolderState(Map<String, FileStamp> consumed) {
    public FolderState {
        consumed = Map.copyOf(Objects.requireNonNull(consumed, "consumed"));
    }

    /** Nothing consumed yet: every matching file in the folder is new. */
    public static FolderState empty() {
        return new FolderState(Map.of());
    }

    /**
     * A file's size and last-modified time (milliseconds since the epoch), as seen by one poll.
     */
    public record FileStamp(long size, long modifiedMillis) {
    }
}
