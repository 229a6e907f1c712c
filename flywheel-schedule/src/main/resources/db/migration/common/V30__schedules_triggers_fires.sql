-- Flywheel metadata schema, schedule part (V30-V39): schedules, trigger definitions with their state, the fires
-- the scheduler claimed, and webhook deliveries seen. Portable SQL; times are epoch milliseconds.

-- A schedule and how to start its pipeline later without the user's program (launch_json: classpath, params).
CREATE TABLE schedules (
    id             TEXT PRIMARY KEY,
    pipeline       TEXT NOT NULL,
    launch_json    TEXT NOT NULL,
    schedule_json  TEXT NOT NULL,
    paused         INTEGER NOT NULL DEFAULT 0,
    -- fires at or before this time are never planned: set on resume, so a pause does not turn into catch-up runs
    not_before     BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- Data-arrival (folder, rows), webhook and pipeline-finished triggers. state_json is what the trigger consumed.
CREATE TABLE triggers (
    id              TEXT PRIMARY KEY,
    pipeline        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    launch_json     TEXT NOT NULL,
    config_json     TEXT NOT NULL,
    state_json      TEXT NOT NULL,
    max_concurrent  INTEGER NOT NULL DEFAULT 1,
    paused          INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- One row per fire of a schedule (fire_key = the scheduled time) or a trigger (fire_key = delivery id, upstream
-- run id, or a digest of the data). The primary key is the claim: a scheduler owns a fire only if its INSERT
-- created the row, so two schedulers never both launch it.
-- state: deferred (due, waiting for a free run slot) -> pending (claimed for launch) -> launched -> succeeded |
-- failed; or skipped (catch-up policy).
CREATE TABLE fires (
    source_id     TEXT NOT NULL,
    fire_key      TEXT NOT NULL,
    source_kind   TEXT NOT NULL,
    pipeline      TEXT NOT NULL,
    fire_time     BIGINT NOT NULL,
    state         TEXT NOT NULL,
    trigger_text  TEXT NOT NULL,
    reason_json   TEXT NOT NULL,
    params_json   TEXT NOT NULL,
    owner         TEXT,
    pid           BIGINT,
    run_id        TEXT,
    log_file      TEXT,
    created_at    BIGINT NOT NULL,
    launched_at   BIGINT,
    finished_at   BIGINT,
    message       TEXT,
    PRIMARY KEY (source_id, fire_key)
);
CREATE INDEX fires_by_state ON fires (state, fire_time);
CREATE INDEX fires_by_source ON fires (source_id, fire_time);

-- Webhook delivery ids already accepted, per trigger: a replayed delivery is refused (409).
CREATE TABLE webhook_deliveries (
    trigger_id   TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (trigger_id, delivery_id)
);
