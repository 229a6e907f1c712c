package dev.flywheel.sdk;

/**
 * The version of the code a run ran: the git commit, the branch and whether the work tree had uncommitted changes to
 * tracked files. Every part may be unknown (null): code outside a git work tree, no {@code git} on the machine, a
 * detached checkout whose branch no CI variable names, or a run recorded before Flywheel kept it.
 *
 * @param commit the full commit id ({@code HEAD}), or null when unknown
 * @param branch the branch name, or null when unknown
 * @param dirty  whether tracked files differed from the commit (untracked files do not count, as for
 *               {@code git describe --dirty}), or null when unknown
 */
public record SourceVersion(String commit, String branch, Boolean dirty) {
    /** Nothing known. */
    public static final SourceVersion UNKNOWN = new SourceVersion(null, null, null);

    public SourceVersion {
        commit = blankToNull(commit);
        branch = blankToNull(branch);
    }

    /** Whether the commit is known. */
    public boolean known() {
        return commit != null;
    }

    /** The commit's first 12 characters, or {@code unknown}. */
    public String shortCommit() {
        return commit == null ? "unknown" : commit.substring(0, Math.min(12, commit.length()));
    }

    /** For people: {@code 3f2a9c1e0b7d on main (uncommitted changes)}, or {@code unknown}. */
    public String describe() {
        if (!known() && branch == null) {
            return "unknown";
        }
        return shortCommit() + " on " + (branch == null ? "an unknown branch" : branch)
                + (Boolean.TRUE.equals(dirty) ? " (uncommitted changes)" : dirty == null ? "" : " (clean)");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
