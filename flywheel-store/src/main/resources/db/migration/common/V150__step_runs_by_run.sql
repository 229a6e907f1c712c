-- A run's page reads its steps by run id; without this index that read scans every step of every run.
CREATE INDEX step_runs_by_run ON step_runs (run_id);
