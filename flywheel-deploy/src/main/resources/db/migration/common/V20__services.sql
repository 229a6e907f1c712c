-- Deploy: long-lived services (prediction servers) that model deployers start and track.
-- Times are epoch milliseconds; status is the last observed one, desired_state what the user asked for.
CREATE TABLE services (
    id             TEXT PRIMARY KEY,
    flavor         TEXT NOT NULL,
    config_json    TEXT NOT NULL,
    desired_state  TEXT NOT NULL,
    status         TEXT NOT NULL,
    last_error     TEXT,
    prediction_url TEXT,
    pipeline_name  TEXT,
    run_id         TEXT,
    step_name      TEXT,
    model_name     TEXT NOT NULL,
    model_version  INTEGER NOT NULL,
    pid            BIGINT,
    port           INTEGER,
    restart_count  INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX services_by_model ON services (model_name, pipeline_name, step_name);
