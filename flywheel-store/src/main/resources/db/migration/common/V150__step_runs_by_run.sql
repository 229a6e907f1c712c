-- A run's page reads its steps by run id; without this index that read scans every step of every run.
CREATE INDEX step_runs_by_run ON step_runs (run_id);
-- Runs are paged by key, newest first: (started_at, id) after the previous page's last run, also within one status.
CREATE INDEX runs_by_start_id ON runs (started_at, id);
CREATE INDEX runs_by_status_start_id ON runs (status, started_at, id);
CREATE INDEX runs_by_pipeline_start_id ON runs (pipeline, started_at, id);
