-- Flywheel metadata schema, part 1: pipelines, runs, step runs, artifacts and lineage.
-- Portable SQL (SQLite and PostgreSQL): ids are text, times are epoch milliseconds.
-- Version ranges per owner: store V1-V9, registry V10-V19, deploy V20-V29, schedule V30-V39; later changes take
-- the next number above the highest. A merged migration is never edited.

CREATE TABLE pipelines (
    name         TEXT PRIMARY KEY,
    description  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    last_run_at  BIGINT,
    spec_json    TEXT NOT NULL
);

CREATE TABLE runs (
    id           TEXT PRIMARY KEY,
    pipeline     TEXT NOT NULL REFERENCES pipelines (name),
    status       TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    trigger      TEXT NOT NULL,
    params_json  TEXT NOT NULL,
    error        TEXT,
    owner_host   TEXT NOT NULL,
    owner_pid    BIGINT NOT NULL
);
CREATE INDEX runs_by_start ON runs (started_at);
CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE step_runs (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES runs (id),
    name          TEXT NOT NULL,
    step_class    TEXT NOT NULL,
    status        TEXT NOT NULL,
    cache_key     TEXT,
    cached_from   TEXT,
    code_hash     TEXT,
    config_json   TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    started_at    BIGINT,
    finished_at   BIGINT,
    error         TEXT,
    logs          TEXT,
    metadata_json TEXT,
    UNIQUE (run_id, name)
);
CREATE INDEX step_runs_by_cache_key ON step_runs (cache_key, status, finished_at);

CREATE TABLE artifacts (
    id                TEXT PRIMARY KEY,
    uri               TEXT NOT NULL,
    type              TEXT NOT NULL,
    materializer      TEXT NOT NULL,
    size              BIGINT NOT NULL,
    sha256            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    producer_step_run TEXT NOT NULL REFERENCES step_runs (id),
    run_id            TEXT NOT NULL REFERENCES runs (id),
    step_name         TEXT NOT NULL,
    output_name       TEXT NOT NULL
);
CREATE INDEX artifacts_by_run ON artifacts (run_id);
CREATE INDEX artifacts_by_created ON artifacts (created_at);

-- Lineage: which step run consumed (direction 'input') or produced (direction 'output') which artifact.
-- A cached step run links to the artifacts it reused as its outputs.
CREATE TABLE artifact_links (
    step_run_id  TEXT NOT NULL REFERENCES step_runs (id),
    direction    TEXT NOT NULL,
    name         TEXT NOT NULL,
    artifact_id  TEXT NOT NULL REFERENCES artifacts (id),
    PRIMARY KEY (step_run_id, direction, name)
);
CREATE INDEX artifact_links_by_artifact ON artifact_links (artifact_id);
