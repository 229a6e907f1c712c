-- Why a run was launched, typed (LaunchReason as JSON: schedule fire, new files or rows, webhook delivery, upstream
-- run, manual), and the scheduler's fire that launched it: the scheduler finds a fire's run by this id through the
-- store's records API instead of reading the runs table by pid and trigger text. Null for runs recorded before.
ALTER TABLE runs ADD COLUMN launch_reason_json TEXT;
ALTER TABLE runs ADD COLUMN fire_id TEXT;
CREATE INDEX runs_fire_id ON runs (fire_id);
