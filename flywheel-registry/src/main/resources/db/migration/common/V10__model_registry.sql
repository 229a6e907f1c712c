-- Flywheel metadata schema, model registry (V10-V19 belong to flywheel-registry).
-- Portable SQL (SQLite and PostgreSQL): times are epoch milliseconds, stages are the Stage enum's names.

CREATE TABLE registered_models (
    name          TEXT PRIMARY KEY,
    description   TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    -- The highest version number ever given: numbers are never reused, even after a delete. Bumped in the
    -- registering transaction, so two processes registering at once get distinct numbers.
    last_version  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE model_versions (
    model              TEXT NOT NULL REFERENCES registered_models (name),
    version            INTEGER NOT NULL,
    format             TEXT NOT NULL,
    stage              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    signature_json     TEXT NOT NULL,
    -- The model file and its provenance.json, each a content-addressed blob of the artifact store: never rewritten.
    model_uri          TEXT NOT NULL,
    model_sha256       TEXT NOT NULL,
    model_size         BIGINT NOT NULL,
    provenance_uri     TEXT NOT NULL,
    provenance_sha256  TEXT NOT NULL,
    provenance_size    BIGINT NOT NULL,
    -- Lineage: a pipeline step (pipeline, run_id, step_name, step_run_id, code_hash) or an import (imported_from).
    pipeline           TEXT,
    run_id             TEXT,
    step_name          TEXT,
    step_run_id        TEXT,
    code_hash          TEXT,
    imported_from      TEXT,
    created_at         BIGINT NOT NULL,
    created_by         TEXT NOT NULL,
    stage_changed_at   BIGINT NOT NULL,
    PRIMARY KEY (model, version)
);
-- At most one production version per model, whatever the code above the database does.
CREATE UNIQUE INDEX model_versions_one_production ON model_versions (model) WHERE stage = 'PRODUCTION';
CREATE INDEX model_versions_by_sha ON model_versions (model, model_sha256);
CREATE INDEX model_versions_by_run ON model_versions (run_id);

CREATE TABLE model_version_metrics (
    model    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    metric   TEXT NOT NULL,
    value    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (model, version, metric),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE model_version_tags (
    model    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (model, version, tag),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

CREATE TABLE registered_model_tags (
    model  TEXT NOT NULL REFERENCES registered_models (name),
    tag    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (model, tag)
);

-- Aliases are unique per model: setting an alias on another version moves it.
CREATE TABLE model_aliases (
    model    TEXT NOT NULL,
    alias    TEXT NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

-- The data a version was trained and evaluated on: the producing step's inputs (depth 1) and their ancestors.
CREATE TABLE model_version_data (
    model        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    artifact_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    uri          TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    depth        INTEGER NOT NULL,
    PRIMARY KEY (model, version, artifact_id),
    FOREIGN KEY (model, version) REFERENCES model_versions (model, version)
);

-- Every stage change, who made it and when. Kept when a version is deleted (history is not rewritten).
CREATE TABLE model_stage_changes (
    model       TEXT NOT NULL REFERENCES registered_models (name),
    seq         INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    from_stage  TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    changed_at  BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (model, seq)
);
