-- The version of the code a run ran: git commit, branch and whether tracked files had uncommitted changes
-- (git_dirty 1/0). Null where unknown: code outside a git work tree, no git binary, runs recorded before.
-- runs list --branch B reads runs_git_branch.
ALTER TABLE runs ADD COLUMN git_commit TEXT;
ALTER TABLE runs ADD COLUMN git_branch TEXT;
ALTER TABLE runs ADD COLUMN git_dirty INTEGER;
CREATE INDEX runs_git_branch ON runs (git_branch, started_at);
