-- Deploy: progressive rollouts (canary, shadow) of a challenger beside a service's champion, and every decision
-- taken with its numbers. Times are epoch milliseconds; revision is bumped by every change (compare-and-set).
CREATE TABLE rollouts (
    id                 TEXT PRIMARY KEY,
    service_id         TEXT NOT NULL,
    model_name         TEXT NOT NULL,
    champion_version   INTEGER NOT NULL,
    challenger_version INTEGER NOT NULL,
    challenger_json    TEXT NOT NULL,
    strategy           TEXT NOT NULL,
    plan_json          TEXT NOT NULL,
    state              TEXT NOT NULL,
    step_index         INTEGER NOT NULL,
    failures           INTEGER NOT NULL,
    reason             TEXT,
    step_started_at    BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    revision           INTEGER NOT NULL
);
-- One active rollout per service: a second start is refused by the database itself, whichever process races.
CREATE UNIQUE INDEX rollouts_one_active_per_service ON rollouts (service_id) WHERE state IN ('PROGRESSING', 'PAUSED');
CREATE INDEX rollouts_by_created ON rollouts (created_at);

CREATE TABLE rollout_decisions (
    rollout_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    decided_at  BIGINT NOT NULL,
    step_index  INTEGER NOT NULL,
    weight      INTEGER NOT NULL,
    verdict     TEXT NOT NULL,
    checks_json TEXT NOT NULL,
    action      TEXT NOT NULL,
    PRIMARY KEY (rollout_id, seq)
);
