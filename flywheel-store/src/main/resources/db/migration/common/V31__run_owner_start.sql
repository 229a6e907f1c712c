-- When the process that owns a run started (epoch milliseconds), beside its pid: a pid the system has since reused
-- for another process is then not mistaken for the run's owner still working. Null for runs recorded before.
ALTER TABLE runs ADD COLUMN owner_started_at BIGINT;
